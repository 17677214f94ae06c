package dev.paritysync.store;

import org.jspecify.annotations.Nullable;

/**
 * A database failure the caller cannot fix by retrying at once: the store could not open, migrate,
 * or commit. The message names the database (URL without parameters) and the operation; the cause
 * is the driver's exception.
 */
public final class StoreException extends RuntimeException {
  public StoreException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
