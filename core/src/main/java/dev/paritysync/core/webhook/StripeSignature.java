package dev.paritysync.core.webhook;

import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.time.Clock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Verifies webhooks signed the way Stripe signs them:
 *
 * <ul>
 *   <li>one header, by default {@value #DEFAULT_HEADER} (any case): {@code t=<unix
 *       seconds>,v1=<hex>[,v1=<hex>…]}; other schemes ({@code v0=…}) and unknown keys are ignored,
 *       a second {@code t} is malformed.
 *   <li>the signature is HMAC-SHA256 over {@code <t>.<body>} — {@code t} exactly as sent, the
 *       body's raw bytes — keyed with the whole secret string's UTF-8 bytes (a {@code whsec_}
 *       prefix included, not decoded), as lowercase or uppercase hex, compared in constant time.
 * </ul>
 *
 * <p>Verified when any {@code v1} signature matches any configured secret (several during rotation)
 * and {@code t} is within the tolerance of now, in either direction (default {@link
 * #DEFAULT_TOLERANCE}, inclusive).
 *
 * <p>The webhook id: Stripe puts its event id in the body, not in a header, so by default there is
 * none ({@link Verification#webhookId()} is null, and a receiver de-duplicates by what the body
 * says). {@link Builder#withIdHeader} names a header that carries one; it is then required.
 *
 * <p>Build with {@link #builder(Clock)}. Immutable and thread-safe.
 */
public final class StripeSignature implements WebhookVerifier {
  /** The signature header unless configured: {@code Stripe-Signature}. */
  public static final String DEFAULT_HEADER = "Stripe-Signature";

  /** How far {@code t} may be from now, either way, by default: 5 minutes. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private final Clock clock;
  private final List<byte[]> keys;
  private final Duration tolerance;
  private final String header;
  private final @Nullable String idHeader;

  private StripeSignature(Builder b) {
    this.clock = b.clock;
    this.keys = List.copyOf(b.keys);
    this.tolerance = b.tolerance;
    this.header = b.header;
    this.idHeader = b.idHeader;
  }

  /** Starts a builder; at least one secret is required. */
  public static Builder builder(Clock clock) {
    return new Builder(clock);
  }

  /**
   * The header value {@code t=<seconds>,v1=<hex>} for a message: for tests, simulated channels and
   * tools that send webhooks.
   */
  public static String sign(Secret secret, Instant timestamp, byte[] body) {
    String t = Long.toString(timestamp.getEpochSecond());
    return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac(key(secret), t, body));
  }

  private static byte[] key(Secret secret) {
    return secret.reveal().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] mac(byte[] key, String t, byte[] body) {
    return Signatures.hmacSha256(key, (t + ".").getBytes(StandardCharsets.UTF_8), body);
  }

  @Override
  public Verification verify(WebhookRequest request) {
    Objects.requireNonNull(request, "request");
    String id = null;
    if (idHeader != null) {
      id = request.header(idHeader).orElse("");
      if (id.isEmpty()) {
        return Verification.failed(Verification.Failure.MISSING, idHeader + " is missing");
      }
      String badId = Signatures.checkId(id, idHeader);
      if (badId != null) {
        return Verification.failed(Verification.Failure.MALFORMED, badId);
      }
    }
    String value = request.header(header).orElse("");
    if (value.isEmpty()) {
      return Verification.failed(Verification.Failure.MISSING, header + " is missing");
    }
    String t = null;
    List<byte[]> candidates = new ArrayList<>();
    boolean sawV1 = false;
    for (String item : value.split(",")) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        return Verification.failed(
            Verification.Failure.MALFORMED, header + " has an item that is not <key>=<value>");
      }
      String key = item.substring(0, eq).trim();
      String v = item.substring(eq + 1).trim();
      if (key.equals("t")) {
        if (t != null) {
          return Verification.failed(Verification.Failure.MALFORMED, header + " has two t= items");
        }
        t = v;
      } else if (key.equals("v1")) {
        sawV1 = true;
        try {
          candidates.add(HexFormat.of().parseHex(v.toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException notHex) {
          // a broken signature cannot match; others still may
        }
      }
    }
    if (t == null || Signatures.seconds(t) == Long.MIN_VALUE) {
      return Verification.failed(
          Verification.Failure.MALFORMED,
          header
              + " has no t=<whole seconds since 1970>"
              + (t == null ? "" : " (t is not a number)"));
    }
    if (!sawV1) {
      return Verification.failed(Verification.Failure.MALFORMED, header + " has no v1= signature");
    }
    String stale = Signatures.checkTime(Signatures.seconds(t), clock, tolerance, header + " t");
    if (stale != null) {
      return Verification.failed(Verification.Failure.STALE, stale);
    }
    byte[] body = request.body();
    boolean match = false;
    for (byte[] key : keys) {
      byte[] expected = mac(key, t, body);
      for (byte[] candidate : candidates) {
        match |= Signatures.constantTimeEquals(expected, candidate);
      }
    }
    return match
        ? Verification.verified(id)
        : Verification.failed(
            Verification.Failure.MISMATCH,
            header
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
    return "StripeSignature["
        + header
        + ", "
        + keys.size()
        + " secret(s), tolerance "
        + tolerance
        + (idHeader == null ? "" : ", id from " + idHeader)
        + "]";
  }

  /** Builds a {@link StripeSignature}. Not thread-safe; {@link #build()} copies the settings. */
  public static final class Builder {
    private final Clock clock;
    private final List<byte[]> keys = new ArrayList<>();
    private Duration tolerance = DEFAULT_TOLERANCE;
    private String header = DEFAULT_HEADER;
    private @Nullable String idHeader;

    private Builder(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Adds a secret (its whole string is the key); call again for each secret in a rotation — a
     * signature by any of them verifies.
     */
    public Builder withSecret(Secret secret) {
      keys.add(key(Objects.requireNonNull(secret, "secret")));
      return this;
    }

    /** Adds each of {@code secrets}, in order. */
    public Builder withSecrets(List<Secret> secrets) {
      secrets.forEach(this::withSecret);
      return this;
    }

    /**
     * How far {@code t} may be from now, either way; default {@link #DEFAULT_TOLERANCE}.
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder withTolerance(Duration tolerance) {
      this.tolerance = Signatures.checkTolerance(Objects.requireNonNull(tolerance, "tolerance"));
      return this;
    }

    /** The signature header; default {@value #DEFAULT_HEADER}. */
    public Builder withHeader(String header) {
      this.header = requireName(header, "header");
      return this;
    }

    /** A header that carries the webhook's id (then required); default none. */
    public Builder withIdHeader(String idHeader) {
      this.idHeader = requireName(idHeader, "idHeader");
      return this;
    }

    /**
     * The verifier.
     *
     * @throws IllegalStateException when no secret was added
     */
    public StripeSignature build() {
      if (keys.isEmpty()) {
        throw new IllegalStateException("StripeSignature needs at least one secret");
      }
      return new StripeSignature(this);
    }
  }

  static String requireName(String name, String what) {
    Objects.requireNonNull(name, what);
    if (name.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return name.strip();
  }
}
