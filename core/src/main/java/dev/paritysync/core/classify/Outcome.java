package dev.paritysync.core.classify;

import dev.paritysync.core.http.Headers;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one attempt produced, as the classifier sees it: an HTTP status with headers, an error code
 * an adapter found in the body (XML/SOAP APIs report errors inside a 200), field errors parsed from
 * the body, or a transport failure with no response at all.
 *
 * @param status the HTTP status, or 0 when {@code failure} is set
 * @param errorCode an error code the adapter found in the body, or null
 * @param fieldErrors field errors parsed from the body (validation), possibly empty
 * @param failure the transport failure, or null when a response arrived
 * @param headers the response headers (empty for a failure)
 */
public record Outcome(
    int status,
    @Nullable String errorCode,
    List<FieldError> fieldErrors,
    @Nullable FailureKind failure,
    Headers headers) {

  public Outcome {
    fieldErrors = List.copyOf(Objects.requireNonNull(fieldErrors, "fieldErrors"));
    Objects.requireNonNull(headers, "headers");
    if ((failure == null) == (status == 0)) {
      throw new IllegalArgumentException(
          "an outcome has either a status (100-599) or a failure, not both or neither");
    }
    if (failure == null && (status < 100 || status > 599)) {
      throw new IllegalArgumentException("HTTP status out of range: " + status);
    }
  }

  /** A response with {@code status} and headers, nothing found in the body. */
  public static Outcome response(int status, Headers headers) {
    return new Outcome(status, null, List.of(), null, headers);
  }

  public static Outcome response(int status) {
    return response(status, Headers.empty());
  }

  /** A transport failure: no response arrived. */
  public static Outcome failure(FailureKind kind) {
    return new Outcome(0, null, List.of(), Objects.requireNonNull(kind, "kind"), Headers.empty());
  }

  public Outcome withErrorCode(String code) {
    return new Outcome(status, code, fieldErrors, failure, headers);
  }

  public Outcome withFieldErrors(List<FieldError> errors) {
    return new Outcome(status, errorCode, errors, failure, headers);
  }

  public boolean isFailure() {
    return failure != null;
  }

  @Override
  public String toString() {
    if (failure != null) {
      return failure.name();
    }
    return status + (errorCode == null ? "" : " " + errorCode);
  }
}
