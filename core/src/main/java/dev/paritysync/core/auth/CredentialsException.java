package dev.paritysync.core.auth;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * No token could be had. {@link #reason()} says whether a person must fix the credentials ({@value
 * #CREDENTIALS}) or the token endpoint kept failing ({@value #TOKEN_ENDPOINT}); it is also the
 * dead-letter reason.
 */
public final class CredentialsException extends RuntimeException {
  /** The token endpoint rejected the client or grant: {@code invalid_client} and the like. */
  public static final String CREDENTIALS = "credentials";

  /** The token endpoint failed, or kept failing after every retry. */
  public static final String TOKEN_ENDPOINT = "token_endpoint";

  private final String reason;

  public CredentialsException(String reason, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public CredentialsException(String reason, String message) {
    this(reason, message, null);
  }

  /** {@value #CREDENTIALS} or {@value #TOKEN_ENDPOINT}. */
  public String reason() {
    return reason;
  }
}
