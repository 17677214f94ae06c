package dev.paritysync.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.bench.server.ServeLoad;
import dev.paritysync.bench.server.ServeProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A PMS as it should behave: {@code clients} threads post one change of 7 nights each (a rate and
 * an availability per night) with its own {@code Idempotency-Key}, and send a request again with
 * the same key until it is answered 202 (after a connection failure, a 5xx or a 429) — so every
 * change is eventually accepted once. Keeps each accepted key's change id.
 */
final class Load {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServeProcess serve;
  private final int properties;
  private final LocalDate first;
  private final Duration pace;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Map<String, String> accepted = new ConcurrentHashMap<>(); // key → change id
  private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
  private final AtomicLong connectionFailures = new AtomicLong();
  private final ConcurrentLinkedQueue<String> refusedValid = new ConcurrentLinkedQueue<>();
  private Thread[] threads = new Thread[0];

  Load(ServeProcess serve, int properties, LocalDate first, Duration pace) {
    this.serve = serve;
    this.properties = properties;
    this.first = first;
    this.pace = pace;
  }

  void start(int clients) {
    threads = new Thread[clients];
    for (int c = 0; c < clients; c++) {
      int client = c;
      threads[c] = new Thread(() -> client(client), "pms-" + c);
      threads[c].setDaemon(true);
      threads[c].start();
    }
  }

  /** Stops sending new changes; each client first gets its last one accepted (or gives up). */
  void stop(Duration wait) throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(wait.toMillis());
    }
  }

  /** Every cell the load can write: a rate and an availability per property, room and night. */
  long cells() {
    return (long) properties * ServeLoad.ROOMS.size() * (300 + 6) * 2;
  }

  Map<String, String> accepted() {
    return accepted;
  }

  Map<Integer, AtomicLong> statuses() {
    return statuses;
  }

  long connectionFailures() {
    return connectionFailures.get();
  }

  /** Valid changes answered 4xx other than 429: each is a defect (the line says which). */
  List<String> refusedValid() {
    return List.copyOf(refusedValid);
  }

  private void client(int client) {
    SplittableRandom random = new SplittableRandom(client * 7919L + 1);
    for (int n = 0; !stop.get(); n++) {
      String key = "pms-" + client + "-" + n;
      String body = ServeLoad.change(random, properties, first, n);
      long deadline = ChaosSoak.CLOCK.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (ChaosSoak.CLOCK.nanoTime() < deadline) {
        int status = post(key, body);
        if (status == 202 || (status >= 400 && status < 500 && status != 429)) {
          break;
        }
        Waits.pause(Duration.ofMillis(250)); // the PMS's retry pause
      }
      Waits.pause(pace);
    }
  }

  private int post(String key, String body) {
    HttpResponse<String> r;
    try {
      r =
          http.send(
              HttpRequest.newBuilder(serve.base().resolve("/v1/changes"))
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/json")
                  .header("Idempotency-Key", key)
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      connectionFailures.incrementAndGet();
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
    statuses.computeIfAbsent(r.statusCode(), s -> new AtomicLong()).incrementAndGet();
    if (r.statusCode() == 202) {
      accepted.put(key, changeId(r.body()));
    } else if (r.statusCode() >= 400 && r.statusCode() < 500 && r.statusCode() != 429) {
      refusedValid.add(key + " → " + r.statusCode() + " " + r.body());
    }
    return r.statusCode();
  }

  private static String changeId(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      return n.get("changes").get(0).get("id").asText();
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("202 without a change id: " + body, e);
    }
  }
}
