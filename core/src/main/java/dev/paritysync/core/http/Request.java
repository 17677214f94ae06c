package dev.paritysync.core.http;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request for {@link Transport}. Immutable; the body array is copied in and never exposed
 * for mutation by the transport.
 *
 * @param method the HTTP method, upper case ({@code GET}, {@code POST}, ...)
 * @param uri an absolute {@code http} or {@code https} URI
 * @param headers request headers; {@link Redaction} decides which of them are never logged
 * @param body the request body, empty for none
 * @param timeout how long the whole exchange (headers and body) may take, or null for the
 *     transport's default
 */
public record Request(
    String method, URI uri, Headers headers, byte[] body, @Nullable Duration timeout) {

  public Request {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    method = method.toUpperCase(Locale.ROOT);
    headers = headers == null ? Headers.empty() : headers;
    body = body == null ? new byte[0] : body.clone();
    if (!uri.isAbsolute() || uri.getHost() == null) {
      throw new IllegalArgumentException("request URI must be absolute with a host: " + uri);
    }
    if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
      throw new IllegalArgumentException("request timeout must be positive, was " + timeout);
    }
  }

  /** A {@code GET} of {@code uri} with no headers, body or timeout of its own. */
  public static Request get(URI uri) {
    return new Request("GET", uri, Headers.empty(), new byte[0], null);
  }

  /** A {@code POST} of {@code body} with a {@code Content-Type} header. */
  public static Request post(URI uri, String contentType, byte[] body) {
    return new Request("POST", uri, Headers.of("Content-Type", contentType), body, null);
  }

  /** This request with {@code name: value} added (after any existing values of {@code name}). */
  public Request withHeader(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Map<String, List<String>> map = new LinkedHashMap<>(headers.asMap());
    List<String> values = new ArrayList<>(map.getOrDefault(name, List.of()));
    values.add(value);
    map.put(name, values);
    return new Request(method, uri, Headers.of(map), body, timeout);
  }

  /** This request with its own timeout for the whole exchange. */
  public Request withTimeout(Duration timeout) {
    return new Request(method, uri, headers, body, timeout);
  }

  /** A copy of the body. */
  @Override
  public byte[] body() {
    return body.clone();
  }

  int bodyLength() {
    return body.length;
  }

  byte[] bodyUnsafe() {
    return body;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Request r
        && method.equals(r.method)
        && uri.equals(r.uri)
        && headers.asMap().equals(r.headers.asMap())
        && java.util.Arrays.equals(body, r.body)
        && Objects.equals(timeout, r.timeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, uri, headers.asMap(), java.util.Arrays.hashCode(body), timeout);
  }

  /** Method, URI with secret query values redacted, redacted headers and the body length. */
  @Override
  public String toString() {
    return "Request{"
        + method
        + ' '
        + Redaction.redactUri(uri)
        + ", headers="
        + headers
        + ", body="
        + body.length
        + " bytes"
        + (timeout == null ? "" : ", timeout=" + timeout)
        + '}';
  }
}
