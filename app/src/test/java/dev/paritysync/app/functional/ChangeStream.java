package dev.paritysync.app.functional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.app.testing.ServeWorkers;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A PMS streaming changes to a cluster: {@code POST /v1/changes} with an {@code Idempotency-Key} to
 * a random live worker, again with the same key and body (to another worker, when one died) until
 * it is answered 202. Keeps every 202, so a test can fold the changes in version order into the
 * truth the store must hold. Seeded; thread-safe.
 */
final class ChangeStream implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long one request may go on being resent before the stream gives up on it. */
  private static final Duration GIVE_UP = Duration.ofSeconds(60);

  /** One change as sent: the nights {@code from..to} of a room type (and rate plan). */
  record Change(
      String property,
      String room,
      String plan,
      LocalDate from,
      LocalDate to,
      BigDecimal rate,
      String currency,
      Integer availability,
      Integer minLos,
      Boolean closed) {

    String json() {
      StringBuilder b =
          new StringBuilder("{\"property\":\"")
              .append(property)
              .append("\",\"roomType\":\"")
              .append(room)
              .append("\",\"ratePlan\":\"")
              .append(plan)
              .append("\",\"from\":\"")
              .append(from)
              .append("\",\"to\":\"")
              .append(to)
              .append('"');
      if (rate != null) {
        b.append(",\"rate\":{\"amount\":\"")
            .append(rate.toPlainString())
            .append("\",\"currency\":\"")
            .append(currency)
            .append("\"}");
      }
      if (availability != null) {
        b.append(",\"availability\":").append(availability);
      }
      if (minLos != null || closed != null) {
        b.append(",\"restrictions\":{");
        if (minLos != null) {
          b.append("\"minLos\":").append(minLos);
        }
        if (closed != null) {
          b.append(minLos != null ? "," : "").append("\"closed\":").append(closed);
        }
        b.append('}');
      }
      return b.append('}').toString();
    }

    /** Applies this change to {@code fold}, as ingest applies it to truth. */
    void applyTo(Map<Cells.Key, Cells.Value> fold) {
      for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
        if (availability != null) {
          Cells.Key k = new Cells.Key(property, room, null, d);
          Cells.Value v = fold.getOrDefault(k, Cells.Value.EMPTY);
          fold.put(
              k,
              new Cells.Value(
                  v.rate(),
                  v.currency(),
                  availability,
                  v.minLos(),
                  v.maxLos(),
                  v.closed(),
                  v.closedToArrival(),
                  v.closedToDeparture()));
        }
        if (rate != null || minLos != null || closed != null) {
          Cells.Key k = new Cells.Key(property, room, plan, d);
          Cells.Value v = fold.getOrDefault(k, Cells.Value.EMPTY);
          fold.put(
              k,
              new Cells.Value(
                  rate != null ? rate : v.rate(),
                  rate != null ? currency : v.currency(),
                  v.availability(),
                  minLos != null ? minLos : v.minLos(),
                  v.maxLos(),
                  closed != null ? closed : v.closed(),
                  v.closedToArrival(),
                  v.closedToDeparture()));
        }
      }
    }
  }

  /** A request answered 202: its key, the version and change ids the answer named, its changes. */
  record Accepted(String key, long version, List<String> ids, List<Change> changes) {}

  /** What the PMS may send: properties with their currency, and room types with their plans. */
  record Portfolio(
      Map<String, String> currencies, Map<String, List<String>> rooms, LocalDate first, int days) {}

  private final ServeWorkers workers;
  private final Portfolio portfolio;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final List<Accepted> accepted = new CopyOnWriteArrayList<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final AtomicLong resends = new AtomicLong();
  private final AtomicLong replays = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();

  ChangeStream(ServeWorkers workers, Portfolio portfolio) {
    this.workers = workers;
    this.portfolio = portfolio;
  }

  /**
   * Starts {@code clients} threads, each sending a request of 1 to {@code maxChanges} seeded
   * changes every {@code every} until {@link #stop()}.
   */
  void start(int clients, Duration every, int maxChanges, long seed) {
    for (int i = 0; i < clients; i++) {
      Random random = new Random(seed + i);
      Thread t =
          new Thread(
              () -> {
                while (!stop.get()) {
                  List<Change> changes = new ArrayList<>();
                  int n = 1 + random.nextInt(maxChanges);
                  for (int c = 0; c < n; c++) {
                    changes.add(change(random));
                  }
                  send(changes, random);
                  sleep(every);
                }
              },
              "change-stream-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
  }

  /** Sends {@code changes} once, to the workers that serve, until one answers 202. */
  void send(List<Change> changes, Random random) {
    String key = UUID.randomUUID().toString();
    StringBuilder body = new StringBuilder("{\"changes\":[");
    for (int i = 0; i < changes.size(); i++) {
      body.append(i == 0 ? "" : ",").append(changes.get(i).json());
    }
    String json = body.append("]}").toString();
    long deadline = System.nanoTime() + GIVE_UP.toNanos();
    String last = "no worker served";
    for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
      if (attempt > 0) {
        resends.incrementAndGet();
        sleep(Duration.ofMillis(100));
      }
      URI worker = workers.randomLive(random);
      if (worker == null) {
        continue;
      }
      HttpResponse<String> r;
      try {
        sent.incrementAndGet();
        r =
            http.send(
                HttpRequest.newBuilder(worker.resolve("/v1/changes"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", "\"" + key + "\"")
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        last = worker + ": " + e; // a worker killed or stopping: the same request to another
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (r.statusCode() == 202) {
        if (r.headers().firstValue("Idempotent-Replayed").isPresent()) {
          replays.incrementAndGet();
        }
        record(key, r.body(), changes);
        return;
      }
      last = worker + ": " + r.statusCode() + " " + r.body();
      if (r.statusCode() != 409 && r.statusCode() < 500) {
        break; // our fault: resending cannot help
      }
    }
    failures.add("key " + key + ": " + last + "; body " + json);
  }

  private void record(String key, String body, List<Change> changes) {
    try {
      JsonNode answer = JSON.readTree(body);
      List<String> ids = new ArrayList<>();
      answer.get("changes").forEach(c -> ids.add(c.get("id").asText()));
      accepted.add(new Accepted(key, answer.get("version").asLong(), ids, changes));
    } catch (IOException | RuntimeException e) {
      failures.add("key " + key + ": unreadable 202 " + body + " (" + e + ")");
    }
  }

  private Change change(Random r) {
    List<String> properties = new ArrayList<>(portfolio.currencies().keySet());
    String property = properties.get(r.nextInt(properties.size()));
    List<String> rooms = new ArrayList<>(portfolio.rooms().keySet());
    String room = rooms.get(r.nextInt(rooms.size()));
    List<String> plans = portfolio.rooms().get(room);
    String plan = plans.get(r.nextInt(plans.size()));
    LocalDate from = portfolio.first().plusDays(r.nextInt(portfolio.days()));
    LocalDate to = from.plusDays(r.nextInt(3));
    LocalDate last = portfolio.first().plusDays(portfolio.days() - 1L);
    if (to.isAfter(last)) {
      to = last;
    }
    BigDecimal rate = r.nextInt(4) == 0 ? null : BigDecimal.valueOf(6_000 + r.nextInt(20_000), 2);
    Integer availability = r.nextInt(3) == 0 ? r.nextInt(10) : null;
    Integer minLos = r.nextInt(5) == 0 ? 1 + r.nextInt(3) : null;
    Boolean closed = r.nextInt(8) == 0 ? r.nextBoolean() : null;
    if (rate == null && availability == null && minLos == null && closed == null) {
      availability = r.nextInt(10);
    }
    return new Change(
        property,
        room,
        plan,
        from,
        to,
        rate,
        portfolio.currencies().get(property),
        availability,
        minLos,
        closed);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the clients after the request each is sending (resends included) is answered. */
  void stop() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(GIVE_UP.plusSeconds(15).toMillis());
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  /** Every 202, in the order they came. */
  List<Accepted> accepted() {
    return List.copyOf(accepted);
  }

  /** The requests given up on, and 202s that could not be read; empty when all went well. */
  List<String> failures() {
    return List.copyOf(failures);
  }

  /** Requests sent again after a failure or a worker's death. */
  long resends() {
    return resends.get();
  }

  /** 202s that said {@code Idempotent-Replayed}: the first answer, sent again. */
  long replays() {
    return replays.get();
  }

  /** HTTP requests sent, resends included. */
  long sent() {
    return sent.get();
  }

  /** Truth as the 202s define it: every accepted change applied in version order. */
  Map<Cells.Key, Cells.Value> fold() {
    List<Accepted> inOrder = new ArrayList<>(accepted);
    inOrder.sort(Comparator.comparingLong(Accepted::version));
    Map<Cells.Key, Cells.Value> fold = new HashMap<>();
    inOrder.forEach(a -> a.changes().forEach(c -> c.applyTo(fold)));
    return fold;
  }
}
