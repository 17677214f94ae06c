package dev.paritysync.core.webhook;

import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.time.Clock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Verifies webhooks signed per the <a href="https://www.standardwebhooks.com">Standard Webhooks</a>
 * specification:
 *
 * <ul>
 *   <li>headers {@value #ID_HEADER}, {@value #TIMESTAMP_HEADER} (whole seconds since the epoch) and
 *       {@value #SIGNATURE_HEADER}: a space-separated list of {@code <version>,<base64>}; only
 *       {@code v1} entries are checked, others (such as asymmetric {@code v1a}) are ignored. Header
 *       names are matched without regard to case.
 *   <li>the signature is HMAC-SHA256 over {@code <id>.<timestamp>.<body>} — id and timestamp
 *       exactly as sent, the body's raw bytes — under the secret's key, compared in constant time.
 *   <li>a secret is {@code whsec_<base64>}; the key is the decoded bytes. A secret without the
 *       {@code whsec_} prefix is taken as the base64 of the key too (as the specification's own
 *       libraries do).
 * </ul>
 *
 * <p>Verified when any {@code v1} signature matches any configured secret (several secrets during
 * rotation) and the timestamp is within the tolerance of now, in either direction (default {@link
 * #DEFAULT_TOLERANCE}, inclusive). The verification's webhook id is the {@value #ID_HEADER} value.
 *
 * <p>Build with {@link #builder(Clock)}. Immutable and thread-safe.
 */
public final class StandardWebhooks implements WebhookVerifier {
  public static final String ID_HEADER = "webhook-id";
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";
  public static final String SIGNATURE_HEADER = "webhook-signature";

  /** How far the timestamp may be from now, either way, by default: 5 minutes. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private static final String PREFIX = "whsec_";

  private final Clock clock;
  private final List<byte[]> keys;
  private final Duration tolerance;

  private StandardWebhooks(Builder b) {
    this.clock = b.clock;
    this.keys = List.copyOf(b.keys);
    this.tolerance = b.tolerance;
  }

  /** Starts a builder; at least one secret is required. */
  public static Builder builder(Clock clock) {
    return new Builder(clock);
  }

  /**
   * The {@value #SIGNATURE_HEADER} entry ({@code v1,<base64>}) for a message: for tests, simulated
   * channels and tools that send webhooks.
   *
   * @throws IllegalArgumentException when {@code secret} is not base64 (after an optional {@code
   *     whsec_})
   */
  public static String sign(Secret secret, String id, Instant timestamp, byte[] body) {
    return sign(key(secret, "secret"), id, Long.toString(timestamp.getEpochSecond()), body);
  }

  private static String sign(byte[] key, String id, String timestamp, byte[] body) {
    byte[] mac = mac(key, id, timestamp, body);
    return "v1," + Base64.getEncoder().encodeToString(mac);
  }

  private static byte[] mac(byte[] key, String id, String timestamp, byte[] body) {
    return Signatures.hmacSha256(
        key, (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
  }

  private static byte[] key(Secret secret, String what) {
    String value = secret.reveal();
    String encoded = value.startsWith(PREFIX) ? value.substring(PREFIX.length()) : value;
    try {
      byte[] key = Base64.getDecoder().decode(encoded);
      if (key.length == 0) {
        throw new IllegalArgumentException(what + " is empty after whsec_");
      }
      return key;
    } catch (IllegalArgumentException e) {
      // the message of the decoder may quote a character of the secret: not repeated here
      throw new IllegalArgumentException(
          what + " is not whsec_ followed by base64 (the key's bytes)");
    }
  }

  @Override
  public Verification verify(WebhookRequest request) {
    Objects.requireNonNull(request, "request");
    String id = request.header(ID_HEADER).orElse("");
    String timestamp = request.header(TIMESTAMP_HEADER).orElse("");
    String signatures = String.join(" ", request.headerValues(SIGNATURE_HEADER)).trim();
    for (String[] required :
        new String[][] {
          {ID_HEADER, id}, {TIMESTAMP_HEADER, timestamp}, {SIGNATURE_HEADER, signatures}
        }) {
      if (required[1].isEmpty()) {
        return Verification.failed(Verification.Failure.MISSING, required[0] + " is missing");
      }
    }
    String badId = Signatures.checkId(id, ID_HEADER);
    if (badId != null) {
      return Verification.failed(Verification.Failure.MALFORMED, badId);
    }
    long seconds = Signatures.seconds(timestamp);
    if (seconds == Long.MIN_VALUE) {
      return Verification.failed(
          Verification.Failure.MALFORMED, TIMESTAMP_HEADER + " is not whole seconds since 1970");
    }
    List<byte[]> candidates = new ArrayList<>();
    boolean wellFormed = false;
    for (String entry : signatures.split(" +")) {
      int comma = entry.indexOf(',');
      if (comma <= 0 || comma == entry.length() - 1) {
        continue;
      }
      wellFormed = true;
      if (!entry.substring(0, comma).equals("v1")) {
        continue; // another scheme: not ours to check
      }
      try {
        candidates.add(Base64.getDecoder().decode(entry.substring(comma + 1)));
      } catch (IllegalArgumentException notBase64) {
        // a broken entry cannot match; others still may
      }
    }
    if (!wellFormed) {
      return Verification.failed(
          Verification.Failure.MALFORMED,
          SIGNATURE_HEADER + " has no entry of the form <version>,<signature>");
    }
    String stale = Signatures.checkTime(seconds, clock, tolerance, TIMESTAMP_HEADER);
    if (stale != null) {
      return Verification.failed(Verification.Failure.STALE, stale);
    }
    byte[] body = request.body();
    boolean match = false;
    for (byte[] key : keys) {
      byte[] expected = mac(key, id, timestamp, body);
      for (byte[] candidate : candidates) {
        match |= Signatures.constantTimeEquals(expected, candidate);
      }
    }
    return match
        ? Verification.verified(id)
        : Verification.failed(
            Verification.Failure.MISMATCH,
            SIGNATURE_HEADER
                + ": no v1 signature matches any of the "
                + keys.size()
                + " configured secret(s)");
  }

  /** The tolerance in either direction. */
  public Duration tolerance() {
    return tolerance;
  }

  @Override
  public String toString() {
    return "StandardWebhooks[" + keys.size() + " secret(s), tolerance " + tolerance + "]";
  }

  /** Builds a {@link StandardWebhooks}. Not thread-safe; {@link #build()} copies the settings. */
  public static final class Builder {
    private final Clock clock;
    private final List<byte[]> keys = new ArrayList<>();
    private Duration tolerance = DEFAULT_TOLERANCE;

    private Builder(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Adds a secret ({@code whsec_<base64>}, or the base64 alone); call again for each secret in a
     * rotation — a signature by any of them verifies.
     *
     * @throws IllegalArgumentException when the secret is not base64 after {@code whsec_}; the
     *     message names its position, never its value
     */
    public Builder withSecret(Secret secret) {
      Objects.requireNonNull(secret, "secret");
      keys.add(key(secret, "secret " + (keys.size() + 1)));
      return this;
    }

    /** Adds each of {@code secrets}, in order; see {@link #withSecret}. */
    public Builder withSecrets(List<Secret> secrets) {
      secrets.forEach(this::withSecret);
      return this;
    }

    /**
     * How far the timestamp may be from now, either way; default {@link #DEFAULT_TOLERANCE}.
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder withTolerance(Duration tolerance) {
      this.tolerance = Signatures.checkTolerance(Objects.requireNonNull(tolerance, "tolerance"));
      return this;
    }

    /**
     * The verifier.
     *
     * @throws IllegalStateException when no secret was added
     */
    public StandardWebhooks build() {
      if (keys.isEmpty()) {
        throw new IllegalStateException("StandardWebhooks needs at least one secret");
      }
      return new StandardWebhooks(this);
    }
  }
}
