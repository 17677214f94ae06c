package dev.paritysync.app.admin;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An admin action refused: bad input (naming the field), an unknown id, or an item in the wrong
 * state. An {@link IllegalArgumentException}, so the CLI prints its one-line message and exits 2;
 * the admin API answers 400, 404 or 409 by its {@link #kind()}. Immutable.
 */
public final class AdminException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Why the action was refused. */
  public enum Kind {
    /** A parameter or body field is missing or malformed; {@link #field()} names it. */
    BAD_INPUT,
    /** No item, report or channel has the id. */
    NOT_FOUND,
    /** The item or report is not in a state that allows the action (already closed, approved). */
    CONFLICT
  }

  private final Kind kind;
  private final @Nullable String field;

  private AdminException(Kind kind, @Nullable String field, String message) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.field = field;
  }

  /** Bad input in {@code field}; the message should name it. */
  public static AdminException badInput(String field, String message) {
    return new AdminException(Kind.BAD_INPUT, Objects.requireNonNull(field, "field"), message);
  }

  /** Nothing has the id. */
  public static AdminException notFound(String message) {
    return new AdminException(Kind.NOT_FOUND, null, message);
  }

  /** The target's state forbids the action. */
  public static AdminException conflict(String message) {
    return new AdminException(Kind.CONFLICT, null, message);
  }

  /** The message, naming the culprit; never null. */
  @Override
  public String getMessage() {
    return Objects.requireNonNull(super.getMessage(), "message");
  }

  /** Why the action was refused. */
  public Kind kind() {
    return kind;
  }

  /** The field at fault for {@link Kind#BAD_INPUT}, else null. */
  public @Nullable String field() {
    return field;
  }
}
