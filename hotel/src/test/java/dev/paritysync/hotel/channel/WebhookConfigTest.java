package dev.paritysync.hotel.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.core.http.Headers;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.core.webhook.SharedSecret;
import dev.paritysync.core.webhook.StandardWebhooks;
import dev.paritysync.core.webhook.StripeSignature;
import dev.paritysync.core.webhook.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookConfigTest {
  private static final String KEY = "channels.booking.webhook";
  private static final String WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final SecretResolver SECRETS =
      SecretResolver.fromMap(
          Map.of(
              "env:WHSEC", WHSEC,
              "env:OLD", "whsec_c2Vjb25kLXNlY3JldC1mb3Itcm90YXRpb24=",
              "file:/run/secrets/token", "tok",
              "env:BAD", "whsec_not base64!"));
  private final VirtualTime time = new VirtualTime(Instant.parse("2026-03-01T00:00:00Z"));

  private static WebhookConfig parse(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return WebhookConfig.parse(new ConfigMap(KEY, map), SECRETS);
  }

  @Test
  void standardWithRotationAndDefaults() {
    WebhookConfig c =
        parse("strategy", "standard", "secrets", List.of("${env:OLD}", "${env:WHSEC}"));

    assertThat(c.strategy()).isEqualTo(WebhookConfig.Strategy.STANDARD);
    assertThat(c.secrets()).hasSize(2);
    assertThat(c.tolerance()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.toString()).doesNotContain(WHSEC).contains("[redacted]");
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    WebhookRequest r =
        WebhookRequest.of(
            Headers.of(
                "webhook-id", "m1",
                "webhook-timestamp", Long.toString(time.instant().getEpochSecond()),
                "webhook-signature",
                    StandardWebhooks.sign(Secret.of(WHSEC), "m1", time.instant(), body)),
            body);
    assertThat(c.verifier(time)).isInstanceOf(StandardWebhooks.class);
    assertThat(c.verifier(time).verify(r).webhookId()).isEqualTo("m1");
  }

  @Test
  void stripeAndSharedSecret() {
    WebhookConfig stripe =
        parse(
            "strategy",
            "stripe",
            "secrets",
            "${env:WHSEC}",
            "tolerance",
            "90s",
            "idHeader",
            "X-Event-Id");
    assertThat(stripe.header()).isEqualTo("Stripe-Signature");
    assertThat(stripe.tolerance()).isEqualTo(Duration.ofSeconds(90));
    assertThat(stripe.verifier(time).toString())
        .isEqualTo(
            "StripeSignature[Stripe-Signature, 1 secret(s), tolerance PT1M30S, id from X-Event-Id]");
    assertThat(stripe.verifier(time)).isInstanceOf(StripeSignature.class);

    WebhookConfig shared =
        parse(
            "strategy",
            "shared-secret",
            "secrets",
            List.of("${file:/run/secrets/token}"),
            "query",
            "token");
    assertThat(shared.tolerance()).isNull();
    assertThat(shared.verifier(time)).isInstanceOf(SharedSecret.class);
    WebhookRequest r =
        WebhookRequest.of(Headers.empty(), new byte[0]).withQueryParameter("token", "tok");
    assertThat(shared.verifier(time).verify(r).verified()).isTrue();
  }

  @Test
  void everyErrorNamesTheKey() {
    assertThatThrownBy(() -> parse("secrets", "${env:WHSEC}"))
        .hasMessage(KEY + ".strategy: is required (standard, stripe or shared-secret)");
    assertThatThrownBy(() -> parse("strategy", "hmac", "secrets", "${env:WHSEC}"))
        .hasMessage(KEY + ".strategy: 'hmac' is not one of standard, stripe, shared-secret");
    assertThatThrownBy(() -> parse("strategy", "standard"))
        .hasMessage(KEY + ".secrets: is required (one or more ${env:NAME} or ${file:/path})");
    assertThatThrownBy(() -> parse("strategy", "standard", "secrets", List.of()))
        .hasMessage(KEY + ".secrets: must name at least one secret");
    assertThatThrownBy(() -> parse("strategy", "standard", "secrets", List.of("whsec_inline")))
        .hasMessage(
            KEY
                + ".secrets[0]: must be a reference ${env:NAME} or ${file:/absolute/path}; inline"
                + " secrets are not allowed");
    assertThatThrownBy(
            () -> parse("strategy", "standard", "secrets", List.of("${env:WHSEC}", "${env:NOPE}")))
        .hasMessage(KEY + ".secrets[1]: environment variable NOPE is not set");
    assertThatThrownBy(() -> parse("strategy", "standard", "secrets", List.of("${env:BAD}")))
        .hasMessage(KEY + ".secrets[0]: is not whsec_ followed by base64 (the key's bytes)");
    assertThatThrownBy(
            () -> parse("strategy", "standard", "secrets", "${env:WHSEC}", "tolerance", "5"))
        .hasMessageStartingWith(KEY + ".tolerance: ");
    assertThatThrownBy(
            () -> parse("strategy", "standard", "secrets", "${env:WHSEC}", "tolerance", "0s"))
        .hasMessage(KEY + ".tolerance: must be positive, was 0s");
    assertThatThrownBy(
            () -> parse("strategy", "standard", "secrets", "${env:WHSEC}", "header", "X-Sig"))
        .hasMessage(KEY + ".header: does not apply to strategy standard");
    assertThatThrownBy(() -> parse("strategy", "shared-secret", "secrets", "${env:WHSEC}"))
        .hasMessage(KEY + ": a shared secret needs exactly one of header, query");
    assertThatThrownBy(
            () ->
                parse(
                    "strategy",
                    "shared-secret",
                    "secrets",
                    "${env:WHSEC}",
                    "header",
                    "X-T",
                    "query",
                    "t"))
        .hasMessage(KEY + ": a shared secret needs exactly one of header, query");
    assertThatThrownBy(
            () ->
                parse(
                    "strategy",
                    "shared-secret",
                    "secrets",
                    "${env:WHSEC}",
                    "header",
                    "X-T",
                    "tolerance",
                    "1m"))
        .hasMessage(KEY + ".tolerance: does not apply to strategy shared-secret");
    assertThatThrownBy(
            () -> parse("strategy", "stripe", "secrets", "${env:WHSEC}", "header", "Bad Header"))
        .hasMessage(KEY + ".header: 'Bad Header' is not a valid HTTP header name");
    assertThatThrownBy(
            () -> parse("strategy", "stripe", "secrets", "${env:WHSEC}", "colour", "blue"))
        .hasMessageStartingWith(KEY + ".colour: unknown key");
  }
}
