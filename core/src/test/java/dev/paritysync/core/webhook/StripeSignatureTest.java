package dev.paritysync.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.http.Headers;
import dev.paritysync.core.time.VirtualTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class StripeSignatureTest {
  private static final String SECRET = "whsec_test_stripe_style_secret";
  private static final String NEW_SECRET = "whsec_rotated_in_this_week";
  private static final long TS = 1_772_323_200L; // 2026-03-01T00:00:00Z
  private static final String BODY =
      "{\"id\":\"RES-1\",\"revision\":1,\"property\":\"P1\",\"room\":\"D1\"}";
  // computed once outside Java (openssl dgst -sha256 -hmac) and pinned
  private static final String PINNED =
      "cbaacf90eb600b0f626185bc9c869b578510ed9d0156e5f68baa6e51a38da702";

  private final VirtualTime time = new VirtualTime(Instant.ofEpochSecond(TS));
  private final StripeSignature verifier =
      StripeSignature.builder(time).withSecret(Secret.of(SECRET)).build();

  private static WebhookRequest request(String header, String body) {
    return WebhookRequest.of(
        header == null ? Headers.empty() : Headers.of("Stripe-Signature", header),
        body.getBytes(StandardCharsets.UTF_8));
  }

  private static String signed(String secret) {
    return "t=" + TS + ",v1=" + Hmac.stripe(secret, TS, BODY);
  }

  @Test
  void signatureOverTimestampAndBodyVerifies() {
    Verification v = verifier.verify(request(signed(SECRET), BODY));

    assertThat(v.verified()).isTrue();
    assertThat(v.webhookId()).as("no id header configured").isNull();
    assertThat(Hmac.stripe(SECRET, TS, BODY)).isEqualTo(PINNED);
    assertThat(
            StripeSignature.sign(
                Secret.of(SECRET),
                Instant.ofEpochSecond(TS),
                BODY.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("t=" + TS + ",v1=" + PINNED);
  }

  @Test
  void upperCaseHexAndHeaderNameInAnyCaseVerify() {
    WebhookRequest r =
        WebhookRequest.of(
            Headers.of("stripe-signature", "t=" + TS + ",v1=" + PINNED.toUpperCase(Locale.ROOT)),
            BODY.getBytes(StandardCharsets.UTF_8));

    assertThat(verifier.verify(r).verified()).isTrue();
  }

  @Test
  void tamperedBodyAndWrongSecretAreMismatches() {
    assertThat(verifier.verify(request(signed(SECRET), BODY + " ")).failure())
        .isEqualTo(Verification.Failure.MISMATCH);
    Verification wrong = verifier.verify(request(signed(NEW_SECRET), BODY));
    assertThat(wrong.failure()).isEqualTo(Verification.Failure.MISMATCH);
    assertThat(wrong.detail())
        .isEqualTo("Stripe-Signature: no v1 signature matches any of the 1 configured secret(s)");
  }

  @Test
  void timestampIsSignedToo() {
    String moved = "t=" + (TS + 1) + ",v1=" + PINNED;

    assertThat(verifier.verify(request(moved, BODY)).failure())
        .isEqualTo(Verification.Failure.MISMATCH);
  }

  @Test
  void staleBeyondFiveMinutesEitherWay() {
    time.advance(Duration.ofSeconds(299));
    assertThat(verifier.verify(request(signed(SECRET), BODY)).verified()).isTrue();
    time.advance(Duration.ofSeconds(2)); // 301 s old
    Verification old = verifier.verify(request(signed(SECRET), BODY));
    assertThat(old.failure()).isEqualTo(Verification.Failure.STALE);
    assertThat(old.detail())
        .isEqualTo("Stripe-Signature t is older than the tolerance of 300 s (301 s off)");

    VirtualTime early = new VirtualTime(Instant.ofEpochSecond(TS - 301));
    StripeSignature ahead = StripeSignature.builder(early).withSecret(Secret.of(SECRET)).build();
    assertThat(ahead.verify(request(signed(SECRET), BODY)).failure())
        .isEqualTo(Verification.Failure.STALE);
  }

  @Test
  void rotationAndSeveralSignaturesInOneHeader() {
    StripeSignature rotating =
        StripeSignature.builder(time)
            .withSecret(Secret.of(SECRET))
            .withSecret(Secret.of(NEW_SECRET))
            .build();
    assertThat(rotating.verify(request(signed(SECRET), BODY)).verified()).isTrue();
    assertThat(rotating.verify(request(signed(NEW_SECRET), BODY)).verified()).isTrue();

    String several =
        "t="
            + TS
            + ",v0="
            + PINNED
            + ",v1=00ff,v1=nothex,v1="
            + Hmac.stripe("some other secret", TS, BODY)
            + ",v1="
            + PINNED;
    assertThat(verifier.verify(request(several, BODY)).verified()).isTrue();
  }

  @Test
  void missingAndMalformedHeaders() {
    assertThat(verifier.verify(request(null, BODY)).detail())
        .isEqualTo("Stripe-Signature is missing");
    assertThat(verifier.verify(request(null, BODY)).failure())
        .isEqualTo(Verification.Failure.MISSING);
    assertThat(verifier.verify(request("v1=" + PINNED, BODY)).detail())
        .isEqualTo("Stripe-Signature has no t=<whole seconds since 1970>");
    assertThat(verifier.verify(request("t=soon,v1=" + PINNED, BODY)).detail())
        .isEqualTo("Stripe-Signature has no t=<whole seconds since 1970> (t is not a number)");
    assertThat(verifier.verify(request("t=" + TS, BODY)).detail())
        .isEqualTo("Stripe-Signature has no v1= signature");
    assertThat(verifier.verify(request("t=" + TS + ",v0=" + PINNED, BODY)).detail())
        .isEqualTo("Stripe-Signature has no v1= signature");
    assertThat(verifier.verify(request("t=" + TS + ",t=" + TS + ",v1=" + PINNED, BODY)).detail())
        .isEqualTo("Stripe-Signature has two t= items");
    assertThat(verifier.verify(request("garbage", BODY)).detail())
        .isEqualTo("Stripe-Signature has an item that is not <key>=<value>");
  }

  @Test
  void configuredIdHeaderIsRequiredAndReturned() {
    StripeSignature withId =
        StripeSignature.builder(time)
            .withSecret(Secret.of(SECRET))
            .withHeader("X-Signature")
            .withIdHeader("X-Event-Id")
            .build();
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);

    Verification v =
        withId.verify(
            WebhookRequest.of(
                Headers.of("x-signature", signed(SECRET), "x-event-id", "evt_1"), body));
    assertThat(v.verified()).isTrue();
    assertThat(v.webhookId()).isEqualTo("evt_1");
    Verification noId =
        withId.verify(WebhookRequest.of(Headers.of("X-Signature", signed(SECRET)), body));
    assertThat(noId.failure()).isEqualTo(Verification.Failure.MISSING);
    assertThat(noId.detail()).isEqualTo("X-Event-Id is missing");
  }

  @Test
  void buildNeedsASecret() {
    assertThatThrownBy(() -> StripeSignature.builder(time).build())
        .hasMessage("StripeSignature needs at least one secret");
    assertThatThrownBy(() -> StripeSignature.builder(time).withHeader(" "))
        .hasMessage("header must not be blank");
  }
}
