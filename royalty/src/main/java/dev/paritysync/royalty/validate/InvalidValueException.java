package dev.paritysync.royalty.validate;

import java.util.Objects;

/** A field value that cannot be made valid; the message names the value and the rule it breaks. */
public final class InvalidValueException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the value and the broken rule. */
  InvalidValueException(String message) {
    super(Objects.requireNonNull(message, "message"));
  }

  /** The message, naming the value and the broken rule; never null. */
  @Override
  public String getMessage() {
    return Objects.requireNonNull(super.getMessage(), "message");
  }
}
