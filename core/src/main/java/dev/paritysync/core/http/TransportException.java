package dev.paritysync.core.http;

import dev.paritysync.core.classify.FailureKind;
import java.io.IOException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP exchange that produced no response: {@link #kind()} says how it failed, the cause (when
 * there is one) is the exception {@code java.net.http} raised.
 */
public final class TransportException extends IOException {
  private final FailureKind kind;

  public TransportException(FailureKind kind, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public TransportException(FailureKind kind, String message) {
    this(kind, message, null);
  }

  /** How the exchange failed. */
  public FailureKind kind() {
    return kind;
  }
}
