package dev.paritysync.royalty.validate;

import dev.paritysync.royalty.DeadLetterRow;
import dev.paritysync.royalty.SalesRow;

/**
 * The outcome of validating one row: a valid {@link SalesRow} or a {@link DeadLetterRow}.
 * Immutable.
 */
public sealed interface Validated {

  /** The row is valid. */
  record Valid(SalesRow row) implements Validated {}

  /** The row goes to the dead-letter store. */
  record Invalid(DeadLetterRow deadLetter) implements Validated {}
}
