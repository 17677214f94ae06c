package dev.paritysync.core.http;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * One HTTP response, whatever its status. Immutable.
 *
 * @param status the HTTP status code
 * @param headers the response headers
 * @param body the response body, complete unless {@code truncated}
 * @param truncated whether the body was cut short; {@link Transport} never truncates (it fails with
 *     {@link dev.paritysync.core.classify.FailureKind#RESPONSE_TOO_LARGE} instead), so this is
 *     always false for its responses and exists for sources that do truncate
 * @param latency from sending the request to having read the whole body, on the transport's clock
 */
public record Response(
    int status, Headers headers, byte[] body, boolean truncated, Duration latency) {

  public Response {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(latency, "latency");
    body = body == null ? new byte[0] : body.clone();
  }

  /** A copy of the body. */
  @Override
  public byte[] body() {
    return body.clone();
  }

  /** Whether the status is 2xx. */
  public boolean isSuccessful() {
    return status >= 200 && status < 300;
  }

  /** The body decoded with the charset of its {@code Content-Type}, UTF-8 when none is given. */
  public String bodyText() {
    return new String(body, charset());
  }

  private Charset charset() {
    String type = headers.first("Content-Type").orElse("");
    for (String part : type.split(";")) {
      String p = part.trim();
      if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
        String name = p.substring("charset=".length()).replace("\"", "").trim();
        try {
          return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
          return StandardCharsets.UTF_8;
        }
      }
    }
    return StandardCharsets.UTF_8;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Response r
        && status == r.status
        && truncated == r.truncated
        && headers.asMap().equals(r.headers.asMap())
        && Arrays.equals(body, r.body)
        && latency.equals(r.latency);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, headers.asMap(), Arrays.hashCode(body), truncated, latency);
  }

  /** Status, redacted headers, body length and latency; never the body. */
  @Override
  public String toString() {
    return "Response{"
        + status
        + ", headers="
        + headers
        + ", body="
        + body.length
        + " bytes"
        + (truncated ? " (truncated)" : "")
        + ", latency="
        + latency
        + '}';
  }
}
