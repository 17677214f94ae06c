package dev.paritysync.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.http.Headers;
import dev.paritysync.core.time.VirtualTime;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the three webhook verifiers with arbitrary requests. An input is a request as text: lines
 * {@code name: value} are headers, lines {@code ?name=value} query parameters, and everything after
 * the first empty line is the body, byte for byte (see the seeds in {@code
 * WebhookVerifiersFuzzTestInputs/verify/}). For every input, each verifier:
 *
 * <ul>
 *   <li>never throws: a missing, malformed or forged request is a {@link Verification};
 *   <li>answers the same twice;
 *   <li>on failure, has a one-line detail naming the header or parameter at fault, and never
 *       quoting a secret;
 *   <li>verifies the same body, with a valid id, once it is signed with a configured secret (the
 *       round trip: no body is too odd to sign).
 * </ul>
 *
 * <p>Regression mode (every build) runs the seeds; {@code JAZZER_FUZZ=1} fuzzes (see {@code
 * docs/running.md}, "Fuzz tests").
 */
class WebhookVerifiersFuzzTest {
  private static final long TS = 1_614_265_330L;
  private static final String WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String STRIPE_SECRET = "whsec_stripe_fuzz_secret";
  private static final String SHARED = "s3cret-shared-value";
  private static final String SHARED_HEADER = "X-Shared-Secret";
  private static final String SHARED_QUERY = "token";
  private static final String STRIPE_ID = "X-Event-Id";

  private final VirtualTime time = new VirtualTime(Instant.ofEpochSecond(TS));
  private final StandardWebhooks standard =
      StandardWebhooks.builder(time).withSecret(Secret.of(WHSEC)).build();
  private final StripeSignature stripe =
      StripeSignature.builder(time)
          .withSecret(Secret.of(STRIPE_SECRET))
          .withIdHeader(STRIPE_ID)
          .build();
  private final SharedSecret inHeader =
      SharedSecret.inHeader(SHARED_HEADER).withSecret(Secret.of(SHARED)).build();
  private final SharedSecret inQuery =
      SharedSecret.inQuery(SHARED_QUERY).withSecret(Secret.of(SHARED)).build();

  @FuzzTest(maxDuration = "10s")
  void verify(byte[] input) {
    WebhookRequest request = request(input);

    check(
        standard,
        request,
        StandardWebhooks.ID_HEADER,
        StandardWebhooks.TIMESTAMP_HEADER,
        StandardWebhooks.SIGNATURE_HEADER);
    check(stripe, request, StripeSignature.DEFAULT_HEADER, STRIPE_ID);
    check(inHeader, request, "header " + SHARED_HEADER);
    check(inQuery, request, "query parameter " + SHARED_QUERY);

    byte[] body = request.body();
    String id = request.header(StandardWebhooks.ID_HEADER).orElse("msg_fuzz");
    if (Signatures.checkId(id, "id") == null && !id.isEmpty()) {
      String signature =
          StandardWebhooks.sign(Secret.of(WHSEC), id, Instant.ofEpochSecond(TS), body);
      Verification v =
          standard.verify(
              WebhookRequest.of(
                  Headers.of(
                      StandardWebhooks.ID_HEADER,
                      id,
                      StandardWebhooks.TIMESTAMP_HEADER,
                      Long.toString(TS),
                      StandardWebhooks.SIGNATURE_HEADER,
                      signature),
                  body));
      assertThat(v.verified()).as("a body signed with the secret: %s", v).isTrue();
      assertThat(v.webhookId()).isEqualTo(id);
      Verification s =
          stripe.verify(
              WebhookRequest.of(
                  Headers.of(
                      StripeSignature.DEFAULT_HEADER,
                      StripeSignature.sign(
                          Secret.of(STRIPE_SECRET), Instant.ofEpochSecond(TS), body),
                      STRIPE_ID,
                      id),
                  body));
      assertThat(s.verified()).as("a body signed with the secret: %s", s).isTrue();
      assertThat(s.webhookId()).isEqualTo(id);
    }
  }

  private static void check(WebhookVerifier verifier, WebhookRequest request, String... names) {
    Verification v = verifier.verify(request);
    assertThat(verifier.verify(request)).as("the same answer twice").isEqualTo(v);
    if (v.verified()) {
      return;
    }
    String detail = v.detail();
    assertThat(detail).as("%s: detail", verifier).isNotBlank().doesNotContain("\n");
    assertThat(Arrays.stream(names).anyMatch(detail::contains))
        .as("%s: '%s' names one of %s", verifier, detail, Arrays.toString(names))
        .isTrue();
    assertThat(detail).doesNotContain(WHSEC, STRIPE_SECRET, SHARED);
    assertThat(v.webhookId()).isNull();
  }

  /** The request an input describes (see the class comment); bytes that are not UTF-8 are kept. */
  static WebhookRequest request(byte[] input) {
    int split = indexOf(input, new byte[] {'\n', '\n'});
    byte[] head = split < 0 ? input : Arrays.copyOf(input, split);
    byte[] body = split < 0 ? new byte[0] : Arrays.copyOfRange(input, split + 2, input.length);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    Map<String, List<String>> query = new LinkedHashMap<>();
    for (String line : new String(head, StandardCharsets.UTF_8).split("\n", -1)) {
      if (line.startsWith("?")) {
        int eq = line.indexOf('=');
        String name = eq < 0 ? line.substring(1) : line.substring(1, eq);
        query
            .computeIfAbsent(name, k -> new ArrayList<>())
            .add(eq < 0 ? "" : line.substring(eq + 1));
        continue;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers
            .computeIfAbsent(line.substring(0, colon), k -> new ArrayList<>())
            .add(line.substring(colon + 1));
      }
    }
    return new WebhookRequest(Headers.of(headers), query, body);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
