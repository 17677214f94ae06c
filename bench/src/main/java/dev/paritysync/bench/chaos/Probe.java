package dev.paritysync.bench.chaos;

import dev.paritysync.bench.server.ServeProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an orchestrator would watch: {@code GET /health/live} every second with a 2 s timeout
 * (counted only while the server is meant to be up), and every 10 s the server's resident memory
 * and the cells waiting to be sent ({@code paritysync_queue_depth{queue="pending_cells"}}).
 */
final class Probe {
  static final Duration LIVE_TIMEOUT = Duration.ofSeconds(2);

  private final ServeProcess serve;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicBoolean suspended = new AtomicBoolean();
  private final AtomicLong liveOk = new AtomicLong();
  private final List<String> liveFailures = new CopyOnWriteArrayList<>();
  private final AtomicLong slowestLiveMillis = new AtomicLong();
  private final Map<Integer, Long> maxRssByLife = new TreeMap<>();
  private final AtomicLong maxPending = new AtomicLong();
  private final Thread thread = new Thread(this::loop, "probe");

  Probe(ServeProcess serve) {
    this.serve = serve;
  }

  void start() {
    thread.setDaemon(true);
    thread.start();
  }

  void stop() throws InterruptedException {
    stop.set(true);
    thread.join(10_000);
  }

  /** While a restart is under way, liveness failures are expected and not counted. */
  void suspend(boolean on) {
    suspended.set(on);
  }

  long liveOk() {
    return liveOk.get();
  }

  List<String> liveFailures() {
    return liveFailures;
  }

  long slowestLiveMillis() {
    return slowestLiveMillis.get();
  }

  synchronized Map<Integer, Long> maxRssByLife() {
    return new TreeMap<>(maxRssByLife);
  }

  long maxPending() {
    return maxPending.get();
  }

  private void loop() {
    for (long tick = 0; !stop.get(); tick++) {
      if (!suspended.get() && serve.alive()) {
        long t0 = ChaosSoak.CLOCK.nanoTime();
        int status = ChaosSoak.get(http, serve.base().resolve("/health/live"), LIVE_TIMEOUT);
        long millis = (ChaosSoak.CLOCK.nanoTime() - t0) / 1_000_000;
        if (!suspended.get()) { // a restart may have begun while it was on the wire
          if (status == 200) {
            liveOk.incrementAndGet();
            slowestLiveMillis.accumulateAndGet(millis, Math::max);
          } else {
            liveFailures.add(
                ChaosSoak.CLOCK.instant()
                    + ": "
                    + (status < 0 ? "no answer" : status)
                    + " in "
                    + millis
                    + " ms");
          }
        }
      }
      if (tick % 10 == 0 && serve.alive()) {
        sample();
      }
      Waits.pause(Duration.ofSeconds(1));
    }
  }

  private void sample() {
    long rss = serve.rssMib();
    if (rss > 0) {
      synchronized (this) {
        maxRssByLife.merge(serve.starts(), rss, Math::max);
      }
    }
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(serve.base().resolve("/metrics"))
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      long pending = 0;
      for (String line : r.body().split("\n")) {
        if (line.startsWith("paritysync_queue_depth{")
            && line.contains("queue=\"pending_cells\"")) {
          pending += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      maxPending.accumulateAndGet(pending, Math::max);
    } catch (java.io.IOException | RuntimeException e) {
      // the server is restarting; the next sample counts
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
