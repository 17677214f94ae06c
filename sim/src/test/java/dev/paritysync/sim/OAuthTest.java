package dev.paritysync.sim;

import static dev.paritysync.sim.Http.update;
import static dev.paritysync.sim.Http.updates;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.core.time.VirtualTime;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OAuthTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ARI = "/v1/properties/P1/ari";
  private static final String BODY =
      updates(update("DBL", "BAR", "2026-01-01", "2026-01-01", "\"rate\":\"10\""));

  private final VirtualTime time = new VirtualTime();
  private SimChannel sim;
  private Http http;

  @BeforeEach
  void start() {
    sim =
        SimChannel.start(
            SimConfig.newBuilder().withOAuth("app", "s3cret", Duration.ofMinutes(10)).build(),
            time);
    http = new Http(sim);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void issuesTokensForBasicAuthAndFormCredentials() throws Exception {
    HttpResponse<String> basic =
        http.form(
            "/oauth/token",
            "grant_type=client_credentials",
            "Authorization",
            basic("app", "s3cret"));
    time.advance(Duration.ofSeconds(3));
    HttpResponse<String> form =
        http.form(
            "/oauth/token", "grant_type=client_credentials&client_id=app&client_secret=s3cret");

    for (HttpResponse<String> r : java.util.List.of(basic, form)) {
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode token = JSON.readTree(r.body());
      assertThat(token.get("access_token").asText()).startsWith("sim-");
      assertThat(token.get("token_type").asText()).isEqualTo("Bearer");
      assertThat(token.get("expires_in").asLong()).isEqualTo(600);
    }
    assertThat(sim.stats().tokenRequests()).isEqualTo(2);
    assertThat(sim.stats().tokensIssued()).isEqualTo(2);
    assertThat(sim.stats().tokensIssuedAtNanos()).containsExactly(0L, 3_000_000_000L);
    assertThat(sim.stats().shortestTokenInterval()).hasValue(Duration.ofSeconds(3));
    assertThat(sim.stats().requests()).isZero();
  }

  @Test
  void rejectsWrongCredentials() throws Exception {
    HttpResponse<String> r =
        http.form(
            "/oauth/token", "grant_type=client_credentials", "Authorization", basic("app", "nope"));

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("invalid_client");
    assertThat(
            http.form("/oauth/token", "grant_type=client_credentials&client_id=app").statusCode())
        .isEqualTo(401);
    assertThat(http.form("/oauth/token", "grant_type=password").statusCode()).isEqualTo(400);
    assertThat(sim.stats().tokenRequests()).isEqualTo(3);
    assertThat(sim.stats().tokensIssued()).as("only 200s issue a token").isZero();
    assertThat(sim.stats().shortestTokenInterval()).isEmpty();
  }

  @Test
  void requiresAValidBearerToken() throws Exception {
    HttpResponse<String> none = http.post(ARI, BODY);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"sim\"");

    HttpResponse<String> unknown = http.post(ARI, BODY, "Authorization", "Bearer forged");
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("invalid_token");

    String token =
        JSON.readTree(
                http.form(
                        "/oauth/token",
                        "grant_type=client_credentials",
                        "Authorization",
                        basic("app", "s3cret"))
                    .body())
            .get("access_token")
            .asText();
    assertThat(http.post(ARI, BODY, "Authorization", "Bearer " + token).statusCode())
        .isEqualTo(200);
    assertThat(
            http.get(ARI + "?from=2026-01-01&to=2026-01-01", "Authorization", "Bearer " + token)
                .statusCode())
        .isEqualTo(200);

    time.advance(Duration.ofMinutes(10));
    HttpResponse<String> expired = http.post(ARI, BODY, "Authorization", "Bearer " + token);
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(expired.headers().firstValue("WWW-Authenticate"))
        .hasValue(
            "Bearer realm=\"sim\", error=\"invalid_token\", error_description=\"token expired\"");
    assertThat(sim.state("P1")).hasSize(1);
  }

  private static String basic(String id, String secret) {
    return "Basic "
        + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }
}
