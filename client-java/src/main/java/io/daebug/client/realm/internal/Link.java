package io.daebug.client.realm.internal;

/**
 * The realm's connection to its broker, reconnecting until closed, with an outbox that survives
 * reconnects. The seam between the protocol logic ({@link RealmCore}) and the socket ({@link WsLink}),
 * so the first can be tested without one.
 */
interface Link extends AutoCloseable {
  /** What the link asks of the realm. Calls come from the socket's reader; they must not block. */
  interface Handler {
    /** The {@code hello} frame for a new connection. */
    String hello();

    /** A frame from the broker. */
    void onFrame(String text);

    /** The connection ended (or an attempt failed); a reconnect follows unless closed. */
    void onDisconnected(String why);
  }

  /** Starts connecting. */
  void start();

  /**
   * Queues a frame; it goes out once the current connection is welcomed.
   *
   * @param json the frame
   * @param resultId the job id when the frame is a result, else null
   * @param jobEpoch for a result, the connection its job arrived on ({@link #jobArrived}); else ignored
   */
  void send(String json, String resultId, long jobEpoch);

  /** The broker welcomed the current connection: queued frames may go out. */
  void welcomed();

  /**
   * The broker sent job {@code id} on the current connection.
   *
   * @return the connection's epoch, to pass back with the job's result
   */
  long jobArrived(String id);

  /** The last reason a connection failed or ended, or null. */
  Throwable lastFailure();

  /** Aborts the current connection as if the network failed (it reconnects); for tests. */
  void drop();

  /** Stops reconnecting and closes the connection; queued frames are discarded. */
  @Override
  void close();
}
