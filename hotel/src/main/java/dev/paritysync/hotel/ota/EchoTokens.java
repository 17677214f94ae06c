package dev.paritysync.hotel.ota;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Fits an idempotency key into {@code EchoToken} ({@code StringLength1to128}: 1 to 128 characters
 * of {@code xs:string}). A key of at most {@value #MAX_VERBATIM} printable ASCII characters is kept
 * as it is; any other key (longer, or with spaces, control or non-ASCII characters, which some
 * channels trim or mangle) becomes {@code sha256:} and the 43-character base64url SHA-256 of its
 * UTF-8 bytes. Either way the token is followed by {@code /} and a suffix of at most {@value
 * #MAX_SUFFIX} characters that tells the requests of one batch apart, so a token never exceeds
 * {@value #MAX_VERBATIM} + 1 + {@value #MAX_SUFFIX} &lt; 128 characters. Deterministic: the same
 * key and suffix give the same token on every retry, also after a restart.
 */
final class EchoTokens {
  static final int MAX_LENGTH = 128;
  static final int MAX_VERBATIM = 100;
  static final int MAX_SUFFIX = 16;

  private EchoTokens() {}

  static String token(String key, String suffix) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("idempotency key must not be empty");
    }
    if (suffix.isEmpty() || suffix.length() > MAX_SUFFIX) {
      throw new IllegalArgumentException("EchoToken suffix must have 1-16 characters: " + suffix);
    }
    return (verbatim(key) ? key : "sha256:" + sha256(key)) + "/" + suffix;
  }

  /**
   * {@code key} itself when it is 1-{@value #MAX_LENGTH} printable ASCII characters, else {@code
   * sha256:} and its base64url SHA-256.
   */
  static String fit(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("idempotency key must not be empty");
    }
    return verbatim(key, MAX_LENGTH) ? key : "sha256:" + sha256(key);
  }

  private static boolean verbatim(String key) {
    return verbatim(key, MAX_VERBATIM);
  }

  private static boolean verbatim(String key, int max) {
    if (key.length() > max) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c <= ' ' || c > '~') {
        return false;
      }
    }
    return true;
  }

  private static String sha256(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
