package dev.paritysync.app.server;

import dev.paritysync.core.auth.Secret;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.jspecify.annotations.Nullable;

/**
 * Checks {@code Authorization: Bearer <token>} against a configured token in constant time: both
 * sides are hashed with SHA-256 and compared with {@link MessageDigest#isEqual}, so neither the
 * token's length nor its prefix leaks through timing. A missing or wrong token is a 401 problem
 * with {@code WWW-Authenticate: Bearer}. Immutable and thread-safe.
 */
public final class BearerToken {
  private final byte @Nullable [] digest;
  private final String realm;
  private final String api;
  private final String key;

  /**
   * A check against {@code token} for {@code realm}; {@code api} names what it guards in messages
   * ("the admin API"), {@code key} the configuration key of the token. A null token refuses every
   * request, saying to configure {@code key}.
   */
  public BearerToken(@Nullable Secret token, String realm, String api, String key) {
    this.digest = token == null ? null : sha256(token.reveal());
    this.realm = realm;
    this.api = api;
    this.key = key;
  }

  /** Whether a token is configured. */
  public boolean configured() {
    return digest != null;
  }

  /**
   * Passes when the request carries the token.
   *
   * @throws ProblemException 401 otherwise
   */
  void check(Context ctx) {
    if (digest == null) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"" + realm + "\"");
      throw new ProblemException(
          401, "Unauthorized", api + " is off: configure " + key + " to use it");
    }
    String header = RequestReading.singleHeader(ctx, "Authorization"); // sent twice: 400
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"" + realm + "\"");
      throw new ProblemException(401, "Unauthorized", api + " needs Authorization: Bearer <token>");
    }
    if (!matches(header.substring(7).strip())) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"" + realm + "\", error=\"invalid_token\"");
      throw new ProblemException(401, "Unauthorized", "the bearer token is not the one of " + key);
    }
  }

  /**
   * Whether {@code given} is the configured token, in constant time (false when none is
   * configured): for a token given another way than the header, such as the web UI's login form.
   */
  public boolean matches(String given) {
    return digest != null && MessageDigest.isEqual(sha256(given), digest);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
