package dev.paritysync.app.server;

/**
 * The request body ended before it was whole: the client closed the connection or stopped sending
 * (then nothing can be answered), or sent malformed chunks, which Jetty reports the same way. The
 * server logs it once at DEBUG, not as a failure, and answers 400 in case someone is listening.
 */
final class ClientAborted extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ClientAborted(Throwable cause) {
    super(String.valueOf(cause.getMessage()), cause, false, false);
  }

  @Override
  public String toString() {
    return String.valueOf(getMessage());
  }
}
