package dev.paritysync.core.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 computed in the tests, independently of the code under test. */
final class Hmac {
  private Hmac() {}

  static byte[] sha256(byte[] key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** {@code v1,<base64>} of a Standard Webhooks message, key = the base64 after whsec_. */
  static String standard(String whsec, String id, long ts, String body) {
    byte[] key = Base64.getDecoder().decode(whsec.substring("whsec_".length()));
    return "v1," + Base64.getEncoder().encodeToString(sha256(key, id + "." + ts + "." + body));
  }

  /** Lowercase hex of a Stripe-style signature, key = the secret string's bytes. */
  static String stripe(String secret, long ts, String body) {
    return HexFormat.of()
        .formatHex(sha256(secret.getBytes(StandardCharsets.UTF_8), ts + "." + body));
  }
}
