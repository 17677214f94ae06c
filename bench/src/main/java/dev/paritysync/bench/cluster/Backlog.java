package dev.paritysync.bench.cluster;

import dev.paritysync.core.time.Clock;
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
import org.jspecify.annotations.Nullable;

/**
 * The backlog every run delivers: for {@code properties} properties × 4 room types × 2 rate plans ×
 * {@code days} nights, a rate per rate plan and an availability per room type — 12 cells per
 * property and night, each night's values differing from the night before so that no two nights
 * compress into one range. Posted as one {@code POST /v1/changes} with an {@code Idempotency-Key}:
 * one ingest transaction, so the whole backlog is pending from one instant. Its properties are
 * named {@code prefix} and a number, so a warm-up backlog on other properties can precede it.
 */
final class Backlog {
  private static final int ROOMS = 4;
  private static final List<String> PLANS = List.of("BAR", "NRF");

  private final String prefix;
  private final int properties;
  private final int days;
  private final LocalDate first =
      LocalDate.ofInstant(Clock.system().instant(), ZoneOffset.UTC).plusDays(2);
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private @Nullable String body; // built on first use

  Backlog(String prefix, int properties, int days) {
    this.prefix = prefix;
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

  /** This backlog's entries of the {@code portfolio.properties:} section. */
  String propertiesYaml() {
    StringBuilder b = new StringBuilder();
    for (int p = 1; p <= properties; p++) {
      b.append("    ").append(prefix).append(p).append(": {timezone: UTC, rooms: {");
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
      n += sim.state(prefix + p).size();
    }
    return n;
  }

  /**
   * Posts the whole backlog as one request (one transaction: every cell becomes pending at the same
   * instant, on every worker) to the first worker, or the next when one fails; returns when it is
   * answered 202.
   *
   * @throws IllegalStateException when no worker accepted it
   */
  void post(Workers workers) {
    String body = body();
    List<URI> uris = workers.uris();
    String last = "";
    for (int attempt = 0; attempt < 3 * uris.size(); attempt++) {
      URI uri = uris.get(attempt % uris.size()).resolve("/v1/changes");
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofMinutes(3))
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", "\"" + prefix + "-backlog\"")
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
        throw new IllegalStateException("interrupted while posting the backlog", e);
      }
    }
    throw new IllegalStateException("the backlog was not accepted: " + last);
  }

  /** The largest request body the workers must take: the whole backlog, with room to spare. */
  long bodyBytes() {
    return body().length() * 2L;
  }

  private String body() {
    if (body == null) {
      body = build();
    }
    return body;
  }

  private String build() {
    List<String> changes = new ArrayList<>();
    for (int p = 1; p <= properties; p++) {
      for (int d = 0; d < days; d++) {
        String night = first.plusDays(d).toString();
        for (int r = 1; r <= ROOMS; r++) {
          for (int k = 0; k < PLANS.size(); k++) {
            // alternate between two values night by night: no run of equal nights to compress
            String amount = String.format(Locale.ROOT, "%d.%02d", 80 + 10 * r + 5 * k, d % 2);
            StringBuilder c =
                new StringBuilder("{\"property\":\"")
                    .append(prefix)
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
    return "{\"changes\":[" + String.join(",", changes) + "]}";
  }
}
