package dev.paritysync.app.ui;

import dev.paritysync.app.admin.AdminException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A request the UI refuses: answered with {@code status} and an HTML page saying {@code
 * getMessage()}, which names what was wrong (the field, the token, the size).
 */
final class UiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String title;

  UiException(int status, String title, String message) {
    super(message, null, false, false);
    this.status = status;
    this.title = title;
  }

  /** The message, naming what was wrong; never null. */
  @Override
  public String getMessage() {
    return Objects.requireNonNull(super.getMessage(), "message");
  }

  int status() {
    return status;
  }

  String title() {
    return title;
  }

  static UiException badInput(String message) {
    return new UiException(400, "Bad request", message);
  }

  static UiException forbidden(String message) {
    return new UiException(403, "Forbidden", message);
  }

  static UiException notFound(String message) {
    return new UiException(404, "Not found", message);
  }

  /** Runs an admin operation, its refusals as pages: 400, 404 or 409 with its message. */
  static <T> T admin(Supplier<T> op) {
    try {
      return op.get();
    } catch (AdminException e) {
      throw switch (e.kind()) {
        case BAD_INPUT -> badInput(e.getMessage());
        case NOT_FOUND -> notFound(e.getMessage());
        case CONFLICT -> new UiException(409, "Conflict", e.getMessage());
      };
    }
  }
}
