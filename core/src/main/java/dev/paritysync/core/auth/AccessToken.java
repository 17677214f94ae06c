package dev.paritysync.core.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * An OAuth2 access token. Immutable; {@link #toString()} never shows the value.
 *
 * @param value the token, sent as {@code Authorization: <type> <value>}
 * @param type the token type, {@code Bearer} unless the server said otherwise
 * @param expiresAt when the server said the token expires
 */
public record AccessToken(String value, String type, Instant expiresAt) {

  public AccessToken {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** The {@code Authorization} header value: {@code Bearer <value>}. */
  public String authorizationHeader() {
    return ("bearer".equalsIgnoreCase(type) ? "Bearer" : type) + ' ' + value;
  }

  @Override
  public String toString() {
    return "AccessToken{value=[redacted], type=" + type + ", expiresAt=" + expiresAt + '}';
  }
}
