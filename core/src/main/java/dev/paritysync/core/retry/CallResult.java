package dev.paritysync.core.retry;

import dev.paritysync.core.classify.FieldError;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How a call ended: acknowledged, dead-lettered (with a reason such as {@code validation}, {@code
 * wait_too_long}, {@code retries_exhausted}) or sent to reconciliation.
 *
 * @param last the last attempt's exchange, kept as evidence; null if nothing was sent
 */
public record CallResult(
    Status status,
    @Nullable String reason,
    List<FieldError> fieldErrors,
    int attempts,
    @Nullable Exchanged last,
    Duration elapsed) {

  /** The ways a call ends. */
  public enum Status {
    ACKNOWLEDGED,
    DEAD_LETTER,
    RECONCILE
  }

  public CallResult {
    fieldErrors = List.copyOf(fieldErrors);
  }

  public boolean acknowledged() {
    return status == Status.ACKNOWLEDGED;
  }
}
