package dev.paritysync.core.webhook;

import dev.paritysync.core.http.Headers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a verifier sees of an inbound webhook request: its headers (names compared without regard to
 * case), its query parameters (names compared exactly, values already percent-decoded) and the
 * exact bytes of its body, as received — signatures are computed over those bytes, so the body must
 * not be parsed and re-serialised first. Immutable and thread-safe: the body is copied in and out.
 *
 * @param headers the request headers
 * @param query the query parameters, each with every value in order
 * @param body the raw body (empty, not null, when there is none)
 */
public record WebhookRequest(Headers headers, Map<String, List<String>> query, byte[] body) {

  public WebhookRequest {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(body, "body");
    Map<String, List<String>> copy = new LinkedHashMap<>();
    query.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "query name"), List.copyOf(v)));
    query = Collections.unmodifiableMap(copy);
    body = body.clone();
  }

  /** A request with headers and a body, and no query parameters. */
  public static WebhookRequest of(Headers headers, byte[] body) {
    return new WebhookRequest(headers, Map.of(), body);
  }

  /** A copy of the raw body. */
  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The body's length in bytes, without copying it. */
  public int bodyLength() {
    return body.length;
  }

  /** The first value of header {@code name} (any case), trimmed. */
  public Optional<String> header(String name) {
    return headers.first(name);
  }

  /** Every value of header {@code name} (any case), in order. */
  public List<String> headerValues(String name) {
    return headers.all(name);
  }

  /** The first value of query parameter {@code name}. */
  public Optional<String> queryParameter(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /**
   * This request with query parameter {@code name} set to {@code value} (for tests and servers).
   */
  public WebhookRequest withQueryParameter(String name, String value) {
    Map<String, List<String>> copy = new LinkedHashMap<>(query);
    List<String> values = new ArrayList<>(copy.getOrDefault(name, List.of()));
    values.add(Objects.requireNonNull(value, "value"));
    copy.put(name, values);
    return new WebhookRequest(headers, copy, body);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WebhookRequest r
        && headers.asMap().equals(r.headers.asMap())
        && query.equals(r.query)
        && java.util.Arrays.equals(body, r.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(headers.asMap(), query, java.util.Arrays.hashCode(body));
  }

  /**
   * Header and query parameter names only, and the body's length: never a value (a shared secret
   * may travel in a header of any name) and never the body, so the text can be logged.
   */
  @Override
  public String toString() {
    return "WebhookRequest[headers="
        + headers.asMap().keySet()
        + ", query="
        + query.keySet()
        + ", body="
        + body.length
        + " bytes]";
  }
}
