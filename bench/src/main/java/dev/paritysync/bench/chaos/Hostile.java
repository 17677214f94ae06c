package dev.paritysync.bench.chaos;

import dev.paritysync.bench.server.ServeProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hostile clients beside the PMS: {@code slow} connections that send a request's headers, then its
 * body one byte a second (slowloris: each holds a handler thread while it lasts), reopened when the
 * server closes them, and one malformed or oversized request a second from a rotating list (each
 * must be answered 4xx, never 5xx, never stored).
 */
final class Hostile {
  private final ServeProcess serve;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicLong slowOpened = new AtomicLong();
  private final AtomicLong slowClosedByServer = new AtomicLong();
  private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  Hostile(ServeProcess serve) {
    this.serve = serve;
  }

  void start(int slow) {
    for (int i = 0; i < slow; i++) {
      Thread t = new Thread(this::slowClient, "slowloris-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    Thread t = new Thread(this::malformed, "malformed");
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  void stop() {
    stop.set(true);
  }

  long slowOpened() {
    return slowOpened.get();
  }

  long slowClosedByServer() {
    return slowClosedByServer.get();
  }

  /** Per kind of hostile request, {@code "kind status"} → count. */
  Map<String, AtomicLong> answers() {
    return answers;
  }

  /** Answers of status 500 or above other than 503 (a restart or a fault may answer 503). */
  long serverErrors() {
    return answers.entrySet().stream()
        .filter(e -> e.getKey().matches(".* 5\\d\\d") && !e.getKey().endsWith(" 503"))
        .mapToLong(e -> e.getValue().get())
        .sum();
  }

  private void slowClient() {
    byte[] request =
        ("POST /v1/changes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100000\r\n\r\n{\"changes\":[")
            .getBytes(StandardCharsets.US_ASCII);
    while (!stop.get()) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(serve.base().getHost(), serve.base().getPort()), 2_000);
        slowOpened.incrementAndGet();
        OutputStream out = s.getOutputStream();
        out.write(request); // the headers at once: the server hands the body to a handler thread
        out.flush();
        while (!stop.get()) {
          out.write(' '); // ... which then waits for the body, a byte a second
          out.flush();
          Waits.pause(Duration.ofSeconds(1));
        }
      } catch (IOException e) {
        slowClosedByServer.incrementAndGet(); // closed on us (or the server is restarting)
        Waits.pause(Duration.ofSeconds(1));
      }
    }
  }

  private void malformed() {
    List<String[]> kinds = kinds();
    for (int n = 0; !stop.get(); n++) {
      String[] k = kinds.get(n % kinds.size());
      String status;
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(serve.base().resolve("/v1/changes"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", "hostile-" + n)
                    .POST(HttpRequest.BodyPublishers.ofString(k[1]))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        status = Integer.toString(r.statusCode());
      } catch (IOException e) {
        status = "no answer";
      } catch (InterruptedException e) {
        return;
      }
      answers.computeIfAbsent(k[0] + " " + status, s -> new AtomicLong()).incrementAndGet();
      Waits.pause(Duration.ofSeconds(1));
    }
  }

  private static List<String[]> kinds() {
    String change = "{\"property\":\"P1\",\"roomType\":\"DBL\",\"ratePlan\":\"BAR\",";
    return List.of(
        new String[] {"not-json", "{\"changes\": [oops"},
        new String[] {
          "huge-exponent",
          "{\"changes\":["
              + change
              + "\"from\":\"2030-01-01\",\"to\":\"2030-01-01\","
              + "\"rate\":{\"amount\":\"1e1000000\",\"currency\":\"EUR\"}}]}"
        },
        new String[] {"deep", "[".repeat(5_000) + "]".repeat(5_000)},
        new String[] {"many-empty", "{\"changes\":[" + "{},".repeat(100_000) + "{}]}"},
        new String[] {"duplicate-keys", "{\"changes\":[],\"changes\":[]}"},
        new String[] {
          "long-stay",
          "{\"changes\":["
              + change
              + "\"from\":\"2027-01-01\",\"to\":\"9999-12-31\","
              + "\"availability\":1}]}"
        });
  }
}
