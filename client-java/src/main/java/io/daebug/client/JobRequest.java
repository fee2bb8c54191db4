package io.daebug.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Code to run once in a realm. Immutable; build with {@link #of(String, String)} and the {@code with*}
 * methods.
 *
 * <pre>{@code
 * JobRequest.of("7-zen-1201-03", "document.title").withTimeout(Duration.ofSeconds(5))
 * }</pre>
 *
 * @param realm the realm's name as listed ({@link RealmInfo#name()})
 * @param code the source to run
 * @param language the language of {@code code}; nullable: null means the realm's own language (when
 *     given, the broker refuses a request whose language differs from the realm's)
 * @param timeout how long the job may run once dispatched; nullable: null means
 *     {@link ClientOptions#jobTimeout()}, and when that is null too, the broker's {@code --job-timeout}
 */
public record JobRequest(String realm, String code, String language, Duration timeout) {
  /**
   * Checks that realm and code are present, the realm not blank, and the timeout positive when given.
   *
   * @param realm the realm's name
   * @param code the source
   * @param language the language; nullable
   * @param timeout the timeout; nullable
   */
  public JobRequest {
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(code, "code");
    if (realm.isBlank()) {
      throw new IllegalArgumentException("realm name must not be blank");
    }
    if (language != null && language.isBlank()) {
      throw new IllegalArgumentException("language must not be blank; pass null for the realm's own language");
    }
    if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    if (timeout != null && timeout.toMillis() < 1) {
      throw new IllegalArgumentException("timeout must be at least 1ms, got " + timeout);
    }
  }

  /**
   * Code for a realm in its own language, with the default timeout.
   *
   * @param realm the realm's name
   * @param code the source
   * @return the request
   */
  public static JobRequest of(String realm, String code) {
    return new JobRequest(realm, code, null, null);
  }

  /**
   * JavaScript code for a realm (the broker refuses it if the realm speaks another language).
   *
   * @param realm the realm's name
   * @param code the JavaScript source
   * @return the request
   */
  public static JobRequest js(String realm, String code) {
    return new JobRequest(realm, code, "javascript", null);
  }

  /**
   * The same request with a timeout.
   *
   * @param newTimeout how long the job may run once dispatched
   * @return the new request
   */
  public JobRequest withTimeout(Duration newTimeout) {
    return new JobRequest(realm, code, language, Objects.requireNonNull(newTimeout, "timeout"));
  }

  /**
   * The same request in another language.
   *
   * @param newLanguage the language; nullable (the realm's own)
   * @return the new request
   */
  public JobRequest withLanguage(String newLanguage) {
    return new JobRequest(realm, code, newLanguage, timeout);
  }
}
