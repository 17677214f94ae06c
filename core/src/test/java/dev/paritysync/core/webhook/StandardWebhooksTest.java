package dev.paritysync.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.http.Headers;
import dev.paritysync.core.time.VirtualTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StandardWebhooksTest {
  // the specification's known answer
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long TS = 1614265330;
  private static final String BODY = "{\"test\": 2432232314}";
  private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  private static final String OTHER_SECRET = "whsec_" + "c2Vjb25kLXNlY3JldC1mb3Itcm90YXRpb24=";

  private final VirtualTime time = new VirtualTime(Instant.ofEpochSecond(TS));
  private final StandardWebhooks verifier =
      StandardWebhooks.builder(time).withSecret(Secret.of(SECRET)).build();

  private static WebhookRequest request(String id, String ts, String signature, String body) {
    java.util.List<String> pairs = new java.util.ArrayList<>();
    if (id != null) {
      pairs.addAll(java.util.List.of("webhook-id", id));
    }
    if (ts != null) {
      pairs.addAll(java.util.List.of("webhook-timestamp", ts));
    }
    if (signature != null) {
      pairs.addAll(java.util.List.of("webhook-signature", signature));
    }
    return WebhookRequest.of(
        Headers.of(pairs.toArray(String[]::new)), body.getBytes(StandardCharsets.UTF_8));
  }

  private static WebhookRequest knownAnswer() {
    return request(ID, Long.toString(TS), SIGNATURE, BODY);
  }

  @Test
  void knownAnswerVerifies() {
    Verification v = verifier.verify(knownAnswer());

    assertThat(v.verified()).isTrue();
    assertThat(v.webhookId()).isEqualTo(ID);
    assertThat(Hmac.standard(SECRET, ID, TS, BODY)).as("the test's own HMAC").isEqualTo(SIGNATURE);
    assertThat(
            StandardWebhooks.sign(
                Secret.of(SECRET),
                ID,
                Instant.ofEpochSecond(TS),
                BODY.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(SIGNATURE);
  }

  @Test
  void headerNamesAreCaseInsensitive() {
    WebhookRequest upper =
        WebhookRequest.of(
            Headers.of(
                "Webhook-Id",
                ID,
                "WEBHOOK-TIMESTAMP",
                Long.toString(TS),
                "Webhook-Signature",
                SIGNATURE),
            BODY.getBytes(StandardCharsets.UTF_8));

    assertThat(verifier.verify(upper).verified()).isTrue();
  }

  @Test
  void secretWithoutPrefixIsTheSameKey() {
    StandardWebhooks bare =
        StandardWebhooks.builder(time)
            .withSecret(Secret.of(SECRET.substring("whsec_".length())))
            .build();

    assertThat(bare.verify(knownAnswer()).verified()).isTrue();
  }

  @Test
  void tamperedBodyIsAMismatch() {
    Verification v =
        verifier.verify(request(ID, Long.toString(TS), SIGNATURE, "{\"test\": 2432232315}"));

    assertThat(v.failure()).isEqualTo(Verification.Failure.MISMATCH);
    assertThat(v.detail())
        .isEqualTo("webhook-signature: no v1 signature matches any of the 1 configured secret(s)");
    assertThat(v.webhookId()).isNull();
  }

  @Test
  void tamperedIdOrTimestampIsAMismatch() {
    assertThat(verifier.verify(request("msg_other", Long.toString(TS), SIGNATURE, BODY)).failure())
        .isEqualTo(Verification.Failure.MISMATCH);
    assertThat(verifier.verify(request(ID, Long.toString(TS + 1), SIGNATURE, BODY)).failure())
        .isEqualTo(Verification.Failure.MISMATCH);
  }

  @Test
  void wrongSecretIsAMismatch() {
    StandardWebhooks wrong =
        StandardWebhooks.builder(time).withSecret(Secret.of(OTHER_SECRET)).build();

    assertThat(wrong.verify(knownAnswer()).failure()).isEqualTo(Verification.Failure.MISMATCH);
  }

  @Test
  void timestampOutsideFiveMinutesEitherWayIsStale() {
    time.advance(Duration.ofSeconds(301)); // the message is 301 s old
    Verification old = verifier.verify(knownAnswer());
    assertThat(old.failure()).isEqualTo(Verification.Failure.STALE);
    assertThat(old.detail())
        .isEqualTo("webhook-timestamp is older than the tolerance of 300 s (301 s off)");

    VirtualTime early = new VirtualTime(Instant.ofEpochSecond(TS - 301)); // 301 s ahead
    Verification ahead =
        StandardWebhooks.builder(early).withSecret(Secret.of(SECRET)).build().verify(knownAnswer());
    assertThat(ahead.failure()).isEqualTo(Verification.Failure.STALE);
    assertThat(ahead.detail())
        .isEqualTo("webhook-timestamp is newer than the tolerance of 300 s (301 s off)");
  }

  @ParameterizedTest
  @ValueSource(longs = {-300, -299, 299, 300})
  void timestampWithinFiveMinutesEitherWayVerifies(long offset) {
    VirtualTime at = new VirtualTime(Instant.ofEpochSecond(TS + offset));

    assertThat(
            StandardWebhooks.builder(at)
                .withSecret(Secret.of(SECRET))
                .build()
                .verify(knownAnswer())
                .verified())
        .isTrue();
  }

  @Test
  void toleranceIsConfigurable() {
    time.advance(Duration.ofSeconds(61));
    StandardWebhooks minute =
        StandardWebhooks.builder(time)
            .withSecret(Secret.of(SECRET))
            .withTolerance(Duration.ofMinutes(1))
            .build();

    assertThat(minute.verify(knownAnswer()).failure()).isEqualTo(Verification.Failure.STALE);
    assertThat(verifier.verify(knownAnswer()).verified()).isTrue();
  }

  @Test
  void rotatedSecretsEitherOneSigns() {
    StandardWebhooks rotating =
        StandardWebhooks.builder(time)
            .withSecret(Secret.of(OTHER_SECRET))
            .withSecret(Secret.of(SECRET))
            .build();
    String byNew = Hmac.standard(OTHER_SECRET, ID, TS, BODY);

    assertThat(rotating.verify(knownAnswer()).verified()).as("signed by the old").isTrue();
    assertThat(rotating.verify(request(ID, Long.toString(TS), byNew, BODY)).verified())
        .as("signed by the new")
        .isTrue();
    assertThat(verifier.verify(request(ID, Long.toString(TS), byNew, BODY)).verified())
        .as("the new one alone is not configured here")
        .isFalse();
  }

  @Test
  void oneValidSignatureAmongSeveralVerifies() {
    String header =
        "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v1a,aGVsbG8= v2,xyz v1,@@notbase64@@ "
            + SIGNATURE;

    assertThat(verifier.verify(request(ID, Long.toString(TS), header, BODY)).verified()).isTrue();
  }

  @Test
  void otherVersionsAloneDoNotVerify() {
    String onlyV1a = "v1a" + SIGNATURE.substring(2);

    Verification v = verifier.verify(request(ID, Long.toString(TS), onlyV1a, BODY));
    assertThat(v.failure()).isEqualTo(Verification.Failure.MISMATCH);
  }

  @Test
  void missingHeadersAreNamed() {
    String ts = Long.toString(TS);
    assertThat(verifier.verify(request(null, ts, SIGNATURE, BODY)).detail())
        .isEqualTo("webhook-id is missing");
    assertThat(verifier.verify(request(ID, null, SIGNATURE, BODY)).detail())
        .isEqualTo("webhook-timestamp is missing");
    assertThat(verifier.verify(request(ID, ts, null, BODY)).detail())
        .isEqualTo("webhook-signature is missing");
    assertThat(verifier.verify(request(ID, ts, "  ", BODY)).failure())
        .isEqualTo(Verification.Failure.MISSING);
    assertThat(verifier.verify(request(null, ts, SIGNATURE, BODY)).failure())
        .isEqualTo(Verification.Failure.MISSING);
  }

  @Test
  void malformedValuesAreNamedAndNeverThrow() {
    String ts = Long.toString(TS);
    assertThat(verifier.verify(request(ID, "16142653.30", SIGNATURE, BODY)).detail())
        .isEqualTo("webhook-timestamp is not whole seconds since 1970");
    assertThat(verifier.verify(request(ID, "-1614265330", SIGNATURE, BODY)).failure())
        .isEqualTo(Verification.Failure.MALFORMED);
    assertThat(verifier.verify(request(ID, "99999999999999999999", SIGNATURE, BODY)).failure())
        .isEqualTo(Verification.Failure.MALFORMED);
    assertThat(verifier.verify(request(ID, ts, "g0hM9SsE+OTPJTGt", BODY)).detail())
        .isEqualTo("webhook-signature has no entry of the form <version>,<signature>");
    assertThat(verifier.verify(request(ID, ts, "v1, ,v1", BODY)).failure())
        .isEqualTo(Verification.Failure.MALFORMED);
    assertThat(verifier.verify(request("id with space", ts, SIGNATURE, BODY)).detail())
        .isEqualTo("webhook-id holds a character that is not printable ASCII at index 2");
    char[] longId = new char[256];
    Arrays.fill(longId, 'a');
    assertThat(verifier.verify(request(new String(longId), ts, SIGNATURE, BODY)).detail())
        .isEqualTo("webhook-id is longer than 255 characters");
  }

  @Test
  void exactRawBytesAreSigned() {
    // the same JSON with other whitespace is another message
    assertThat(
            verifier
                .verify(request(ID, Long.toString(TS), SIGNATURE, "{\"test\":2432232314}"))
                .verified())
        .isFalse();
  }

  @Test
  void badSecretsAndSettingsFailAtBuild() {
    assertThatThrownBy(
            () -> StandardWebhooks.builder(time).withSecret(Secret.of("whsec_not base64!")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("secret 1 is not whsec_ followed by base64 (the key's bytes)");
    assertThatThrownBy(() -> StandardWebhooks.builder(time).build())
        .hasMessage("StandardWebhooks needs at least one secret");
    assertThatThrownBy(() -> StandardWebhooks.builder(time).withTolerance(Duration.ZERO))
        .hasMessage("tolerance must be positive, was PT0S");
  }

  @Test
  void descriptionsShowNoSecret() {
    assertThat(verifier.toString()).isEqualTo("StandardWebhooks[1 secret(s), tolerance PT5M]");
    assertThat(verifier.verify(request(ID, Long.toString(TS), SIGNATURE, "x")).toString())
        .doesNotContain(SIGNATURE.substring(3))
        .doesNotContain(SECRET);
  }
}
