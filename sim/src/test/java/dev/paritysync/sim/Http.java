package dev.paritysync.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A real HTTP/1.1 client over loopback, with a short timeout so a hung test fails fast. */
final class Http {
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final URI base;
  private Duration timeout = Duration.ofSeconds(5);

  Http(SimChannel channel) {
    this.base = channel.baseUri();
  }

  Http withTimeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  HttpResponse<String> post(String path, String body, String... headers) throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.build());
  }

  HttpResponse<String> get(String path, String... headers) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.build());
  }

  HttpResponse<String> form(String path, String body, String... headers) throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(timeout)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.build());
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted", e));
    }
  }

  /** One update as the native dialect writes it. */
  static String update(String room, String ratePlan, String from, String to, String values) {
    return "{\"room\":\""
        + room
        + "\",\"ratePlan\":\""
        + ratePlan
        + "\",\"from\":\""
        + from
        + "\",\"to\":\""
        + to
        + "\""
        + (values.isEmpty() ? "" : "," + values)
        + "}";
  }

  static String updates(String... updates) {
    return "{\"updates\":[" + String.join(",", updates) + "]}";
  }
}
