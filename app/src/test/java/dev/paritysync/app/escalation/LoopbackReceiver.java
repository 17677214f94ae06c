package dev.paritysync.app.escalation;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A real HTTP receiver on loopback that records every request and answers the statuses queued with
 * {@link #answer}, then 200.
 */
final class LoopbackReceiver implements AutoCloseable {
  /** One request as received. */
  record Received(String path, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }

    String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private final HttpServer server;
  private final List<Received> received = new ArrayList<>();
  private final Deque<int[]> answers = new ArrayDeque<>();
  private String retryAfter;

  LoopbackReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          int status;
          String after;
          synchronized (this) {
            received.add(
                new Received(
                    exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()),
                    body));
            int[] next = answers.poll();
            status = next == null ? 200 : next[0];
            after = retryAfter;
          }
          if (after != null && status == 429) {
            exchange.getResponseHeaders().add("Retry-After", after);
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
  }

  /** Answers the next requests with {@code statuses}, in order. */
  synchronized LoopbackReceiver answer(int... statuses) {
    for (int s : statuses) {
      answers.add(new int[] {s});
    }
    return this;
  }

  /** Sends {@code Retry-After: value} with every 429. */
  synchronized LoopbackReceiver retryAfter(String value) {
    this.retryAfter = value;
    return this;
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  synchronized List<Received> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
