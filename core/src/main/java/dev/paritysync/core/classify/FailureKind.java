package dev.paritysync.core.classify;

/** How an exchange failed when there was no HTTP response to classify. */
public enum FailureKind {
  /** The connection was refused or the host unreachable. */
  CONNECT_REFUSED,
  /** The connection was reset or closed mid-exchange, or the response was cut off. */
  CONNECTION_RESET,
  /** Connecting or waiting for the response took longer than the configured timeout. */
  TIMEOUT,
  /** The TLS handshake failed. */
  TLS,
  /** The response was larger than the transport accepts. */
  RESPONSE_TOO_LARGE,
  /** Any other I/O failure. */
  OTHER_IO
}
