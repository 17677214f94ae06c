package dev.paritysync.hotel.channel;

import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.webhook.SharedSecret;
import dev.paritysync.core.webhook.StandardWebhooks;
import dev.paritysync.core.webhook.StripeSignature;
import dev.paritysync.core.webhook.WebhookVerifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How one channel's reservation webhooks are verified, read from {@code channels.<name>.webhook}:
 *
 * <pre>{@code
 * webhook:
 *   strategy: standard          # required: standard | stripe | shared-secret
 *   secrets:                    # required: one or more references; several during a rotation
 *     - "${env:BOOKING_WHSEC}"
 *     - "${file:/run/secrets/booking-whsec-old}"
 *   tolerance: 5m               # standard, stripe: how far the timestamp may be off; default 5m
 *   header: Stripe-Signature    # stripe: the signature header (default Stripe-Signature);
 *                               # shared-secret: the header holding the secret
 *   query: token                # shared-secret: the query parameter holding the secret
 *   idHeader: X-Event-Id        # stripe, shared-secret: a header carrying the webhook id; optional
 * }</pre>
 *
 * <p>{@code secrets} may also be a single reference. Secrets must be references ({@code
 * ${env:NAME}}, {@code ${file:/absolute/path}}), resolved once, when parsed; a Standard Webhooks
 * secret must read {@code whsec_<base64>} (or the base64 alone). A shared secret is sent in exactly
 * one of {@code header}, {@code query}. Every error names the full key. Immutable and thread-safe;
 * {@code toString} shows secrets as {@code [redacted]}.
 *
 * @param strategy how requests are signed
 * @param secrets the secrets, at least one
 * @param tolerance the timestamp tolerance (standard, stripe), else null
 * @param header the signature header (stripe) or secret header (shared-secret), else null
 * @param query the secret's query parameter (shared-secret), else null
 * @param idHeader the webhook id header (stripe, shared-secret), or null
 */
public record WebhookConfig(
    Strategy strategy,
    List<Secret> secrets,
    @Nullable Duration tolerance,
    @Nullable String header,
    @Nullable String query,
    @Nullable String idHeader) {

  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  /** The three ways a channel may sign its webhooks. */
  public enum Strategy {
    /** {@link StandardWebhooks}. */
    STANDARD("standard"),
    /** {@link StripeSignature}. */
    STRIPE("stripe"),
    /** {@link SharedSecret}. */
    SHARED_SECRET("shared-secret");

    private final String code;

    Strategy(String code) {
      this.code = code;
    }

    /** As configuration spells it. */
    public String code() {
      return code;
    }
  }

  public WebhookConfig {
    Objects.requireNonNull(strategy, "strategy");
    secrets = List.copyOf(secrets);
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("a webhook configuration needs at least one secret");
    }
  }

  /**
   * Reads {@code node} (such as {@code channels.booking.webhook}) and resolves its secrets.
   *
   * @throws IllegalArgumentException starting with the full key of the first bad, missing or
   *     unknown key
   */
  public static WebhookConfig parse(ConfigMap node, SecretResolver resolver) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(resolver, "resolver");
    String code = node.string("strategy", null);
    if (code == null) {
      throw new IllegalArgumentException(
          node.key("strategy") + ": is required (standard, stripe or shared-secret)");
    }
    Strategy strategy = node.enumValue("strategy", Strategy.class, Strategy.STANDARD);
    List<Secret> secrets = secrets(node, resolver);
    boolean timed = strategy != Strategy.SHARED_SECRET;
    @Nullable Duration tolerance = null;
    if (timed) {
      tolerance = node.positiveDuration("tolerance", StandardWebhooks.DEFAULT_TOLERANCE);
    } else {
      notFor(node, "tolerance", strategy);
    }
    String header = name(node, "header");
    String rawQuery = node.string("query", null);
    String query = rawQuery == null ? null : rawQuery.strip();
    String idHeader = name(node, "idHeader");
    switch (strategy) {
      case STANDARD -> {
        notFor(node, "header", strategy);
        notFor(node, "query", strategy);
        notFor(node, "idHeader", strategy);
        StandardWebhooks.Builder check = StandardWebhooks.builder(Clock.system());
        for (int i = 0; i < secrets.size(); i++) {
          try {
            check.withSecret(secrets.get(i));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                node.key("secrets")
                    + "["
                    + i
                    + "]: is not whsec_ followed by base64 (the key's bytes)");
          }
        }
      }
      case STRIPE -> {
        notFor(node, "query", strategy);
        header = header == null ? StripeSignature.DEFAULT_HEADER : header;
      }
      case SHARED_SECRET -> {
        if ((header == null) == (query == null)) {
          throw new IllegalArgumentException(
              node.path() + ": a shared secret needs exactly one of header, query");
        }
        if (query != null && query.isEmpty()) {
          throw new IllegalArgumentException(node.key("query") + ": must not be empty");
        }
      }
    }
    node.rejectUnknown();
    return new WebhookConfig(strategy, secrets, tolerance, header, query, idHeader);
  }

  private static List<Secret> secrets(ConfigMap node, SecretResolver resolver) {
    Object raw = node.raw("secrets");
    if (raw == null) {
      throw new IllegalArgumentException(
          node.key("secrets") + ": is required (one or more ${env:NAME} or ${file:/path})");
    }
    List<Secret> secrets = new ArrayList<>();
    if (raw instanceof List<?> list) {
      if (list.isEmpty()) {
        throw new IllegalArgumentException(node.key("secrets") + ": must name at least one secret");
      }
      for (int i = 0; i < list.size(); i++) {
        secrets.add(resolver.resolve(node.key("secrets") + "[" + i + "]", list.get(i)));
      }
    } else {
      secrets.add(resolver.resolve(node.key("secrets"), raw));
    }
    return secrets;
  }

  private static @Nullable String name(ConfigMap node, String key) {
    String raw = node.string(key, null);
    if (raw == null) {
      return null;
    }
    String value = raw.strip();
    if (!TOKEN.matcher(value).matches()) {
      throw new IllegalArgumentException(
          node.key(key) + ": '" + value + "' is not a valid HTTP header name");
    }
    return value;
  }

  private static void notFor(ConfigMap node, String key, Strategy strategy) {
    if (node.asMap().get(key) != null) {
      throw new IllegalArgumentException(
          node.key(key) + ": does not apply to strategy " + strategy.code());
    }
  }

  /** The verifier this configuration describes, reading time from {@code clock}. */
  public WebhookVerifier verifier(Clock clock) {
    Objects.requireNonNull(clock, "clock");
    return switch (strategy) {
      case STANDARD ->
          StandardWebhooks.builder(clock)
              .withSecrets(secrets)
              .withTolerance(Objects.requireNonNull(tolerance, "tolerance"))
              .build();
      case STRIPE -> {
        StripeSignature.Builder b =
            StripeSignature.builder(clock)
                .withSecrets(secrets)
                .withTolerance(Objects.requireNonNull(tolerance, "tolerance"))
                .withHeader(Objects.requireNonNull(header, "header"));
        yield idHeader == null ? b.build() : b.withIdHeader(idHeader).build();
      }
      case SHARED_SECRET -> {
        SharedSecret.Builder b =
            (header != null
                    ? SharedSecret.inHeader(header)
                    : SharedSecret.inQuery(Objects.requireNonNull(query, "query")))
                .withSecrets(secrets);
        yield idHeader == null ? b.build() : b.withIdHeader(idHeader).build();
      }
    };
  }
}
