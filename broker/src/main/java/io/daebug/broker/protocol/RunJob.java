package io.daebug.broker.protocol;

/**
 * Asks a realm to run code once and answer with a {@link Result} carrying the same id.
 *
 * @param id the job id, unique per broker run
 * @param code the source to evaluate
 * @param language the language of {@code code}, e.g. {@code javascript}
 * @param timeoutMs after this the broker reports a timeout; the realm may stop the job
 */
public record RunJob(String id, String code, String language, long timeoutMs) implements ToRealm {}
