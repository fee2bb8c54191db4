package io.daebug.broker.protocol;

/**
 * A job was accepted into a realm's queue (its request and placeholder are in the log), sent to controllers
 * that watch the realm's jobs, whoever asked for it: an agent's request in the log, a controller, an MCP client.
 *
 * @param ref the watcher's own ref when it submitted the job; null otherwise
 * @param job the job id
 * @param realm the realm
 * @param agent who asked, as the journal names them
 * @param code the code
 * @param language the language it runs in
 * @param ahead jobs before it in the realm's queue
 */
public record JobRequested(String ref, String job, String realm, String agent, String code, String language,
    int ahead) implements ToController {}
