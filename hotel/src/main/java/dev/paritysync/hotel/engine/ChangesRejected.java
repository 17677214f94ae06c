package dev.paritysync.hotel.engine;

import dev.paritysync.core.classify.FieldError;
import java.util.List;

/**
 * Thrown by {@link Ingest#accept} when any change is invalid: nothing was written, and {@link
 * #errors()} lists every error of every change, each with its path ({@code changes[2].rate}).
 * Immutable.
 */
public final class ChangesRejected extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<FieldError> errors;

  ChangesRejected(List<FieldError> errors) {
    super(errors.size() + " error(s): " + errors);
    this.errors = List.copyOf(errors);
  }

  /** Every error, ordered by change index and then path; never empty. */
  public List<FieldError> errors() {
    return errors;
  }
}
