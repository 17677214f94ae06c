package dev.paritysync.core.webhook;

import dev.paritysync.core.time.Clock;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/** HMAC, constant-time comparison and the timestamp window the verifiers share. */
final class Signatures {
  /** Longest webhook id accepted; longer ones are malformed (they become a database key). */
  static final int MAX_ID_LENGTH = 255;

  private Signatures() {}

  /** HMAC-SHA256 of the concatenation of {@code parts} under {@code key}. */
  static byte[] hmacSha256(byte[] key, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256"); // a Mac is not thread-safe: one per call
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  /**
   * Whether {@code a} equals {@code b}, in time that depends on neither: both are hashed first, so
   * not even the length of a secret leaks.
   */
  static boolean constantTimeEquals(byte[] a, byte[] b) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] ha = sha.digest(a);
      byte[] hb = sha.digest(b);
      return MessageDigest.isEqual(ha, hb);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  /** Null when {@code id} is usable as a webhook id, else why not. */
  static @Nullable String checkId(String id, String header) {
    if (id.length() > MAX_ID_LENGTH) {
      return header + " is longer than " + MAX_ID_LENGTH + " characters";
    }
    for (int i = 0; i < id.length(); i++) {
      char ch = id.charAt(i);
      if (ch < 0x21 || ch > 0x7e) {
        return header + " holds a character that is not printable ASCII at index " + i;
      }
    }
    return null;
  }

  /**
   * Parses whole seconds since the epoch: digits only (at most 12, so no overflow), no sign.
   * Returns {@code Long.MIN_VALUE} when {@code value} is not one.
   */
  static long seconds(String value) {
    if (value.isEmpty() || value.length() > 12) {
      return Long.MIN_VALUE;
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return Long.MIN_VALUE;
      }
    }
    return Long.parseLong(value);
  }

  /** Null when {@code seconds} is within {@code tolerance} of now, else why not. */
  static @Nullable String checkTime(long seconds, Clock clock, Duration tolerance, String header) {
    long nowMillis = clock.millis();
    long skewMillis = Math.abs(nowMillis - seconds * 1000);
    if (skewMillis > tolerance.toMillis()) {
      return header
          + " is "
          + (seconds * 1000 < nowMillis ? "older" : "newer")
          + " than the tolerance of "
          + tolerance.toSeconds()
          + " s ("
          + (skewMillis / 1000)
          + " s off)";
    }
    return null;
  }

  static Duration checkTolerance(Duration tolerance) {
    if (tolerance.isNegative() || tolerance.isZero()) {
      throw new IllegalArgumentException("tolerance must be positive, was " + tolerance);
    }
    return tolerance;
  }
}
