package dev.paritysync.royalty.drift;

/**
 * The lake cannot be read or written: a missing directory or catalog, or a DuckDB failure. The
 * message names the path or the statement's purpose.
 */
public final class LakeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the culprit. */
  LakeException(String message) {
    super(message);
  }

  /** Creates the exception with a message naming the culprit and its cause. */
  LakeException(String message, Throwable cause) {
    super(message, cause);
  }
}
