package dev.paritysync.core.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.core.backoff.Backoff;
import dev.paritysync.core.backoff.Jitter;
import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * The wire format of the client credentials grant (RFC 6749 §4.4): the token request, and what the
 * token endpoint's answer says. Stateless and thread-safe.
 */
final class TokenProtocol {
  /** The token endpoint's retries: 500 ms, ×2, full jitter, cap 10 s, at most 4. */
  static final Backoff DEFAULT_BACKOFF =
      Backoff.builder()
          .withBase(Duration.ofMillis(500))
          .withMultiplier(2)
          .withCap(Duration.ofSeconds(10))
          .withMaxRetries(4)
          .withJitter(Jitter.full())
          .build();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long DEFAULT_EXPIRES_IN = 3600;

  private TokenProtocol() {}

  static Request tokenRequest(
      URI tokenUri,
      String clientId,
      Secret clientSecret,
      @Nullable String scope,
      OAuth2ClientCredentials.AuthMethod authMethod) {
    StringBuilder form = new StringBuilder("grant_type=client_credentials");
    if (scope != null) {
      form.append("&scope=").append(encode(scope));
    }
    if (authMethod == OAuth2ClientCredentials.AuthMethod.POST) {
      form.append("&client_id=").append(encode(clientId));
      form.append("&client_secret=").append(encode(clientSecret.reveal()));
    }
    Request request =
        Request.post(
                tokenUri,
                "application/x-www-form-urlencoded",
                form.toString().getBytes(StandardCharsets.UTF_8))
            .withHeader("Accept", "application/json");
    if (authMethod == OAuth2ClientCredentials.AuthMethod.BASIC) {
      // RFC 6749 §2.3.1: id and secret are form-encoded before Base64
      String pair = encode(clientId) + ':' + encode(clientSecret.reveal());
      request =
          request.withHeader(
              "Authorization",
              "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    return request;
  }

  /**
   * When to refresh a token another process stored: the store does not say when it was issued, so
   * the skew is capped at half of what is left of it at {@code now} (as a fresh token's is capped
   * at half its lifetime). A token adopted soon after it was stored is refreshed about when its
   * fetcher would refresh it; short-lived tokens are shared instead of refreshed on every call.
   */
  static Instant adoptedRefreshAt(AccessToken stored, Duration skew, Instant now) {
    Duration left = Duration.between(now, stored.expiresAt());
    Duration half = left.isNegative() ? Duration.ZERO : left.dividedBy(2);
    return stored.expiresAt().minus(skew.compareTo(half) > 0 ? half : skew);
  }

  /** The token of a 2xx answer received at {@code now}, or null when it holds no usable one. */
  static @Nullable AccessToken parseToken(Response response, Instant now) {
    JsonNode json = readJson(response);
    if (json == null || !json.path("access_token").isTextual()) {
      return null;
    }
    String value = json.get("access_token").asText();
    if (value.isEmpty()) {
      return null;
    }
    String type = json.path("token_type").asText("Bearer");
    JsonNode expiresIn = json.path("expires_in");
    long seconds =
        expiresIn.isMissingNode() || expiresIn.isNull()
            ? DEFAULT_EXPIRES_IN
            : expiresIn.asLong(DEFAULT_EXPIRES_IN);
    return new AccessToken(
        value, type.isEmpty() ? "Bearer" : type, now.plusSeconds(Math.max(0, seconds)));
  }

  /** The {@code error} of an error answer (RFC 6749 §5.2), or null. */
  static @Nullable String errorCode(Response response) {
    JsonNode json = readJson(response);
    return json != null && json.path("error").isTextual() ? json.get("error").asText() : null;
  }

  private static @Nullable JsonNode readJson(Response response) {
    try {
      JsonNode node = JSON.readTree(response.body());
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
