package dev.paritysync.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.http.Headers;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SharedSecretTest {
  private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

  private final SharedSecret header =
      SharedSecret.inHeader("X-Webhook-Token").withSecret(Secret.of("s3cr3t-token")).build();
  private final SharedSecret query =
      SharedSecret.inQuery("token")
          .withSecret(Secret.of("old-token"))
          .withSecret(Secret.of("new-token"))
          .build();

  @Test
  void headerInAnyCaseVerifies() {
    Verification v =
        header.verify(WebhookRequest.of(Headers.of("x-webhook-token", "s3cr3t-token"), BODY));

    assertThat(v.verified()).isTrue();
    assertThat(v.webhookId()).isNull();
  }

  @Test
  void wrongOrPrefixedOrMissingHeaderIsRejected() {
    Verification wrong =
        header.verify(WebhookRequest.of(Headers.of("X-Webhook-Token", "s3cr3t-tokeN"), BODY));
    assertThat(wrong.failure()).isEqualTo(Verification.Failure.MISMATCH);
    assertThat(wrong.detail())
        .isEqualTo("header X-Webhook-Token matches none of the 1 configured secret(s)");
    assertThat(
            header
                .verify(WebhookRequest.of(Headers.of("X-Webhook-Token", "s3cr3t-token-and"), BODY))
                .failure())
        .isEqualTo(Verification.Failure.MISMATCH);
    Verification missing = header.verify(WebhookRequest.of(Headers.empty(), BODY));
    assertThat(missing.failure()).isEqualTo(Verification.Failure.MISSING);
    assertThat(missing.detail()).isEqualTo("header X-Webhook-Token is missing");
    assertThat(header.verify(WebhookRequest.of(Headers.of("X-Webhook-Token", ""), BODY)).failure())
        .isEqualTo(Verification.Failure.MISSING);
  }

  @Test
  void queryParameterWithRotatedSecrets() {
    WebhookRequest base = WebhookRequest.of(Headers.empty(), BODY);

    assertThat(query.verify(base.withQueryParameter("token", "old-token")).verified()).isTrue();
    assertThat(query.verify(base.withQueryParameter("token", "new-token")).verified()).isTrue();
    assertThat(query.verify(base.withQueryParameter("token", "older-token")).failure())
        .isEqualTo(Verification.Failure.MISMATCH);
    assertThat(query.verify(base.withQueryParameter("Token", "old-token")).detail())
        .as("query names are exact")
        .isEqualTo("query parameter token is missing");
    assertThat(query.verify(WebhookRequest.of(Headers.of("token", "old-token"), BODY)).failure())
        .as("a header of that name is not the parameter")
        .isEqualTo(Verification.Failure.MISSING);
  }

  @Test
  void idHeaderWhenConfigured() {
    SharedSecret withId =
        SharedSecret.inQuery("token").withSecret(Secret.of("t")).withIdHeader("X-Delivery").build();
    WebhookRequest r =
        new WebhookRequest(
            Headers.of("X-Delivery", "d-42"), Map.of("token", java.util.List.of("t")), BODY);

    assertThat(withId.verify(r).webhookId()).isEqualTo("d-42");
    assertThat(withId.verify(new WebhookRequest(Headers.empty(), r.query(), BODY)).detail())
        .isEqualTo("X-Delivery is missing");
  }

  @Test
  void buildAndDescription() {
    assertThatThrownBy(() -> SharedSecret.inHeader("X").build())
        .hasMessage("SharedSecret needs at least one secret");
    assertThat(query.toString()).isEqualTo("SharedSecret[query token, 2 secret(s)]");
  }

  @Test
  void requestNeverShowsItsBodyAndCopiesIt() {
    byte[] body = "{\"secret\":1}".getBytes(StandardCharsets.UTF_8);
    WebhookRequest r =
        WebhookRequest.of(Headers.of("X-Hotel-Auth", "hunter2"), body).withQueryParameter("t", "x");
    body[0] = 'X';

    assertThat(r.body()[0]).isEqualTo((byte) '{');
    assertThat(r.toString())
        .isEqualTo("WebhookRequest[headers=[X-Hotel-Auth], query=[t], body=12 bytes]");
  }
}
