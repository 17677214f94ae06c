package dev.paritysync.bench.cluster;

import dev.paritysync.sim.SimChannel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The backlog every run delivers: for {@code properties} properties × 4 room types × 2 rate plans ×
 * {@code days} nights, a rate per rate plan and an availability per room type — 12 cells per
 * property and night, each night's values differing from the night before so that no two nights
 * compress into one range. Posted as {@code POST /v1/changes} of 400 changes each, with their
 * {@code Idempotency-Key}, to the workers in turn by two clients.
 */
final class Backlog {
  private static final int ROOMS = 4;
  private static final List<String> PLANS = List.of("BAR", "NRF");
  private static final int PER_REQUEST = 400;

  private final int properties;
  private final int days;
  private final LocalDate first = LocalDate.now(ZoneOffset.UTC).plusDays(2);
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final List<String> failures = new CopyOnWriteArrayList<>();

  Backlog(int properties, int days) {
    this.properties = properties;
    this.days = days;
  }

  int properties() {
    return properties;
  }

  int days() {
    return days;
  }

  /** Cells the channel holds once the backlog is delivered. */
  long cells() {
    return (long) properties * days * (ROOMS * PLANS.size() + ROOMS);
  }

  /** Changes sent: one per rate plan, room type and night. */
  long changes() {
    return (long) properties * days * ROOMS * PLANS.size();
  }

  /** The {@code portfolio:} section. */
  String portfolioYaml() {
    StringBuilder b = new StringBuilder("portfolio:\n  properties:\n");
    for (int p = 1; p <= properties; p++) {
      b.append("    P").append(p).append(": {timezone: UTC, rooms: {");
      for (int r = 1; r <= ROOMS; r++) {
        b.append(r > 1 ? ", " : "")
            .append("R")
            .append(r)
            .append(": {ratePlans: {BAR: EUR, NRF: EUR}}");
      }
      b.append("}}\n");
    }
    return b.toString();
  }

  /** The channel's mapping: every code to itself. */
  String mappingYaml() {
    StringBuilder b = new StringBuilder("{rooms: {");
    for (int r = 1; r <= ROOMS; r++) {
      b.append(r > 1 ? ", " : "").append("R").append(r).append(": R").append(r);
    }
    return b.append("}, ratePlans: {BAR: BAR, NRF: NRF}}").toString();
  }

  /** The cells {@code sim} holds now, over every property. */
  long held(SimChannel sim) {
    long n = 0;
    for (int p = 1; p <= properties; p++) {
      n += sim.state("P" + p).size();
    }
    return n;
  }

  /** Starts posting the whole backlog to {@code workers}; join the thread for the last 202. */
  Thread postInBackground(Workers workers) {
    List<String> bodies = bodies();
    AtomicInteger next = new AtomicInteger();
    List<URI> uris = workers.uris();
    Runnable client =
        () -> {
          int i;
          while ((i = next.getAndIncrement()) < bodies.size()) {
            post(uris, i, bodies.get(i));
          }
        };
    Thread a = new Thread(client, "backlog-a");
    Thread b = new Thread(client, "backlog-b");
    a.start();
    b.start();
    Thread both =
        new Thread(
            () -> {
              try {
                a.join();
                b.join();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "backlog");
    both.start();
    return both;
  }

  /** Fails when a request of the backlog was never answered 202. */
  void check() {
    if (!failures.isEmpty()) {
      throw new IllegalStateException(
          failures.size() + " backlog requests not accepted, first: " + failures.get(0));
    }
  }

  private void post(List<URI> uris, int i, String body) {
    String key = "backlog-" + i;
    String last = "";
    for (int attempt = 0; attempt < 5; attempt++) {
      URI uri = uris.get((i + attempt) % uris.size()).resolve("/v1/changes");
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", "\"" + key + "\"")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 202) {
          return;
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    failures.add(key + ": " + last);
  }

  private List<String> bodies() {
    List<String> changes = new ArrayList<>();
    for (int p = 1; p <= properties; p++) {
      for (int d = 0; d < days; d++) {
        String night = first.plusDays(d).toString();
        for (int r = 1; r <= ROOMS; r++) {
          for (int k = 0; k < PLANS.size(); k++) {
            // alternate between two values night by night: no run of equal nights to compress
            String amount = String.format(Locale.ROOT, "%d.%02d", 80 + 10 * r + 5 * k, d % 2);
            StringBuilder c =
                new StringBuilder("{\"property\":\"P")
                    .append(p)
                    .append("\",\"roomType\":\"R")
                    .append(r)
                    .append("\",\"ratePlan\":\"")
                    .append(PLANS.get(k))
                    .append("\",\"from\":\"")
                    .append(night)
                    .append("\",\"to\":\"")
                    .append(night)
                    .append("\",\"rate\":{\"amount\":\"")
                    .append(amount)
                    .append("\",\"currency\":\"EUR\"}");
            if (k == 0) {
              c.append(",\"availability\":").append(3 + d % 2);
            }
            changes.add(c.append('}').toString());
          }
        }
      }
    }
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < changes.size(); i += PER_REQUEST) {
      bodies.add(
          "{\"changes\":["
              + String.join(",", changes.subList(i, Math.min(changes.size(), i + PER_REQUEST)))
              + "]}");
    }
    return bodies;
  }
}
