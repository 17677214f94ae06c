package dev.paritysync.core.http;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a body, in lowercase hex: what an attempt's log line and ledger entry carry so an
 * incident can be traced to the exact bytes sent and received, without storing the bodies. Static
 * and thread-safe.
 */
public final class BodyDigest {
  private BodyDigest() {}

  /** The SHA-256 of {@code body} (null reads as empty), as 64 lowercase hex digits. */
  public static String sha256(byte[] body) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(body == null ? new byte[0] : body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is in every Java runtime", e);
    }
  }
}
