package dev.paritysync.app.server;

import dev.paritysync.core.classify.FieldError;
import java.util.List;
import java.util.Objects;

/**
 * An HTTP error a handler answers with: the server writes it as an RFC 9457 problem document
 * ({@code application/problem+json}) with {@code type}, {@code title}, {@code status}, {@code
 * detail} and, when there are any, {@code errors}: one entry per field error with its JSON path.
 * Immutable.
 */
public final class ProblemException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String title;
  private final String detail;
  private final transient List<FieldError> errors;
  private final int errorCount;

  /** A problem without field errors. */
  public ProblemException(int status, String title, String detail) {
    this(status, title, detail, List.of());
  }

  /** A problem listing {@code errors} (each with its path). */
  public ProblemException(int status, String title, String detail, List<FieldError> errors) {
    this(status, title, detail, errors, errors.size());
  }

  /**
   * A problem listing {@code errors}, the first of {@code errorCount} found (the rest were counted,
   * not kept).
   *
   * @throws IllegalArgumentException when {@code errorCount} is less than {@code errors.size()}
   */
  public ProblemException(
      int status, String title, String detail, List<FieldError> errors, int errorCount) {
    super(detail);
    if (errorCount < errors.size()) {
      throw new IllegalArgumentException(
          "errorCount " + errorCount + " is less than the " + errors.size() + " errors listed");
    }
    this.errorCount = errorCount;
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status " + status + " is not an error status");
    }
    this.status = status;
    this.title = Objects.requireNonNull(title, "title");
    this.detail = Objects.requireNonNull(detail, "detail");
    this.errors = List.copyOf(errors);
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** A short, fixed summary of the problem type, such as {@code Invalid changes}. */
  public String title() {
    return title;
  }

  /** What went wrong this time, in one sentence. */
  public String detail() {
    return detail;
  }

  /** Field errors, each naming its path; empty when the problem is not about fields. */
  public List<FieldError> errors() {
    return errors;
  }

  /** How many field errors were found: at least {@code errors().size()}. */
  int errorCount() {
    return errorCount;
  }
}
