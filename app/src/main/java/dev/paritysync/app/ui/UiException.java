package dev.paritysync.app.ui;

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
}
