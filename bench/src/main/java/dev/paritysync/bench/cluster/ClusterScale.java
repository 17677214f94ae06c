package dev.paritysync.bench.cluster;

import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.sim.SimStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * How delivery scales with workers on one PostgreSQL (issue 13): 1, 2, 3 and 4 {@code paritysync
 * serve} processes (the jar given by {@code --jar}) on a fresh schema each run, against one
 * simulated channel in this process with 200 ms latency, so requests in flight — not the CPU — are
 * what a worker adds.
 *
 * <ol>
 *   <li><b>No binding quota</b>: every run gets the same backlog (a year of rates and availability
 *       for {@code --properties} properties × 4 room types × 2 rate plans: 12 cells per property
 *       and night, every value different from the night before, so nothing compresses), posted to
 *       the workers in turn once all serve, after a warm-up backlog on {@code --warmup} other
 *       properties (default 3; 0: none) has been drained by the same workers, so the timed one
 *       meets compiled JVMs and filled pools, as a long-running cluster would. Prints the delivered
 *       cells/s and requests/s from the first post until the channel holds every cell, the same
 *       over the middle 80 % of the cells (without start and tail), and both as ratios against 1
 *       worker. Target: ≥ 2.5× at 3 workers.
 *   <li><b>A shared quota</b> ({@code --quota}, default {@code 1/2s} per property: 30 per minute in
 *       windows of 2 s, so the rate shows within the run and binds even one worker), configured in
 *       the engine and enforced by the channel: the same backlog, requests counted for {@code
 *       --quota-seconds} from 2 s after the channel's first request. The cluster's request rate
 *       must equal the quota — properties × limit ÷ period — whatever the number of workers, with
 *       no 429 for a spent quota and no window over its limit.
 * </ol>
 *
 * Loopback only. Usage: {@code bench/cluster-scale.sh [--workers=1,2,3,4] [--properties=N]
 * [--days=N] [--warmup=N] [--quota=N/period] [--quota-seconds=S] [--concurrency=N]
 * [--parts=scale,quota]}, by default 1,2,3,4 workers, 10 properties, 365 days, 20 quota seconds,
 * both parts, the engine's default concurrency (4) and {@code --jar=app/target/paritysync.jar};
 * {@code --pg} (default {@code PARITYSYNC_PG_URL}) names the PostgreSQL server; {@code
 * -Dcluster.keep=true} keeps each run's schema (and says which) to look into afterwards. Exits 1
 * when a target is not met.
 *
 * <p>An entry point, not a library: only {@link #main} is public, and nothing it builds escapes it,
 * so callers have no thread-safety to consider.
 */
public final class ClusterScale {
  private static final Clock CLOCK = Clock.system();
  // Waits on the system scheduler, like everything else that waits (no thread sleeps).
  private static final Scheduler TIMER = Scheduler.system(1);
  private static final Duration LATENCY = Duration.ofMillis(200);
  private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(3);

  private final Path jar;
  private final String pg;
  private final Path dir;
  private final Backlog backlog;
  private final Backlog warmup;
  private final @Nullable Integer concurrency; // null: the channel's default

  private ClusterScale(
      Path jar,
      String pg,
      Path dir,
      Backlog backlog,
      Backlog warmup,
      @Nullable Integer concurrency) {
    this.jar = jar;
    this.pg = pg;
    this.dir = dir;
    this.backlog = backlog;
    this.warmup = warmup;
    this.concurrency = concurrency;
  }

  /** Runs the parts asked for with the arguments above; exits 1 when a target is not met. */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("expected --name=value, got " + arg);
      }
      a.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    Path jar = Path.of(a.getOrDefault("jar", "app/target/paritysync.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("--jar: no such file " + jar);
    }
    String pg = a.getOrDefault("pg", System.getenv("PARITYSYNC_PG_URL"));
    if (pg == null || pg.isBlank()) {
      throw new IllegalArgumentException(
          "--pg: no PostgreSQL; pass --pg=jdbc:postgresql://… or set PARITYSYNC_PG_URL");
    }
    List<Integer> workers = new ArrayList<>();
    for (String n : a.getOrDefault("workers", "1,2,3,4").split(",")) {
      workers.add(Integer.parseInt(n.trim()));
    }
    if (workers.isEmpty() || workers.get(0) != 1) {
      throw new IllegalArgumentException("--workers: must start with 1, the baseline");
    }
    int properties = Integer.parseInt(a.getOrDefault("properties", "10"));
    int days = Integer.parseInt(a.getOrDefault("days", "365"));
    int warmup = Integer.parseInt(a.getOrDefault("warmup", "3"));
    if (warmup < 0) {
      throw new IllegalArgumentException("--warmup: must be 0 or more properties, got " + warmup);
    }
    String quota = a.getOrDefault("quota", "1/2s");
    int quotaSeconds = Integer.parseInt(a.getOrDefault("quota-seconds", "20"));
    Integer concurrency =
        a.containsKey("concurrency") ? Integer.parseInt(a.get("concurrency")) : null;
    Path dir = Files.createTempDirectory("paritysync-cluster-scale");
    ClusterScale bench =
        new ClusterScale(
            jar,
            pg,
            dir,
            new Backlog("P", properties, days),
            new Backlog("W", warmup, days),
            concurrency);
    List<String> parts = List.of(a.getOrDefault("parts", "scale,quota").split(","));
    boolean met = true;
    if (parts.contains("scale")) {
      met &= bench.scale(workers);
    }
    if (parts.contains("quota")) {
      met &= bench.quota(workers, quota, quotaSeconds);
    }
    System.out.println(met ? "every target met" : "FAILED: a target was not met");
    System.exit(met ? 0 : 1);
  }

  /** The first part: the backlog drained by each number of workers. */
  private boolean scale(List<Integer> workers) throws Exception {
    System.out.printf(
        Locale.ROOT,
        "### Delivery by 1..%d workers, no binding quota%n%n"
            + "backlog: %,d cells (%d properties × 4 room types × 2 rate plans × %d nights),"
            + " %,d changes; channel latency %d ms, concurrency %s per worker%n%n"
            + "warm-up: %,d cells on %d other properties, drained by the same workers before the"
            + " backlog is posted (not counted)%n%n"
            + "time from the backlog's commit (one ingest transaction) until the channel holds every"
            + " cell; steady: the middle 80 %% of the cells%n%n"
            + "| workers | ingest s | drained in s | cells/s | requests/s | per worker |"
            + " steady cells/s | cells/s vs 1 | steady vs 1 | requests | 429 |%n"
            + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n",
        workers.get(workers.size() - 1),
        backlog.cells(),
        backlog.properties(),
        backlog.days(),
        backlog.changes(),
        LATENCY.toMillis(),
        concurrency == null ? "4 (default)" : concurrency,
        warmup.cells(),
        warmup.properties());
    Drain base = null;
    boolean met = true;
    for (int n : workers) {
      Drain d = drain(n);
      if (base == null) {
        base = d;
      }
      System.out.printf(
          Locale.ROOT,
          "| %d | %.1f | %.1f | %.0f | %.1f | %.1f | %.0f | %.2f× | %.2f× | %d | %d |%n",
          n,
          d.ingestSeconds(),
          d.seconds(),
          d.cellsPerSecond(),
          d.requestsPerSecond(),
          d.requestsPerSecond() / n,
          d.steadyCellsPerSecond(),
          d.cellsPerSecond() / base.cellsPerSecond(),
          d.steadyCellsPerSecond() / base.steadyCellsPerSecond(),
          d.requests(),
          d.throttled());
      if (!d.complete()) {
        System.out.printf(
            Locale.ROOT,
            "  %d workers: the channel held %,d of %,d cells after %s%n",
            n,
            d.delivered(),
            backlog.cells(),
            DRAIN_TIMEOUT);
        met = false;
      }
      if (n == 3) {
        double ratio = d.cellsPerSecond() / base.cellsPerSecond();
        boolean ok = ratio >= 2.5;
        System.out.printf(
            Locale.ROOT,
            "  target at 3 workers: ≥ 2.50× cells/s, measured %.2f×: %s%n",
            ratio,
            ok ? "met" : "not met");
        met &= ok;
      }
    }
    System.out.println();
    return met;
  }

  /** The second part: the same backlog under a shared quota, for a fixed time per run. */
  private boolean quota(List<Integer> workers, String quota, int seconds) throws Exception {
    String[] q = quota.split("/");
    long limit = Long.parseLong(q[0].trim());
    Duration period =
        dev.paritysync.core.config.Durations.parse(
            "--quota", Character.isDigit(q[1].trim().charAt(0)) ? q[1].trim() : "1" + q[1].trim());
    double allowed = backlog.properties() * (double) limit / (period.toNanos() / 1e9);
    System.out.printf(
        Locale.ROOT,
        "### The same backlog under a shared quota of %s per property%n%n"
            + "%d properties: the quota allows %.1f requests/s for the cluster; requests counted"
            + " over %d s per run, from 2 s after the channel's first request (so neither the"
            + " forming of the first batches nor the first windows, which start full)%n%n"
            + "| workers | requests/s | vs quota | vs 1 worker | quota 429s | most in one window |"
            + " during announced waits |%n"
            + "|---:|---:|---:|---:|---:|---:|---:|%n",
        quota,
        backlog.properties(),
        allowed,
        seconds);
    boolean met = true;
    Double base = null;
    double best = 0;
    for (int n : workers) {
      Metered m = metered(n, quota, Duration.ofSeconds(seconds));
      double rate = m.requests() / m.seconds();
      if (base == null) {
        base = rate;
      }
      SimStats s = m.stats();
      System.out.printf(
          Locale.ROOT,
          "| %d | %.1f | %.2f | %.2f× | %d | %d (limit %d) | %d (%d later than 300 ms) |%n",
          n,
          rate,
          rate / allowed,
          rate / base,
          s.quotaRefusals(),
          s.maxRequestsInWindow(),
          limit,
          s.requestsDuringAnnouncedWait(),
          s.requestsDuringAnnouncedWait(Duration.ofMillis(300)));
      // never over the quota (nor any window, nor refused); below it is the workers' own limit
      boolean ok =
          rate <= allowed * 1.05 && s.quotaRefusals() == 0 && s.maxRequestsInWindow() <= limit;
      best = Math.max(best, rate);
      if (!ok) {
        System.out.printf(
            Locale.ROOT,
            "  %d workers: %.1f requests/s against a quota of %.1f, %d refused, busiest windows"
                + " %s: over the quota%n",
            n,
            rate,
            allowed,
            s.quotaRefusals(),
            s.peakRequestsPerWindow().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(3)
                .toList());
      }
      met &= ok;
    }
    // and it binds: with enough workers the cluster reaches it
    boolean binds = best >= allowed * 0.8;
    System.out.printf(
        Locale.ROOT,
        "  target: never over the quota, and at it with enough workers (best %.2f of it, at"
            + " least 0.80): %s%n%n",
        best / allowed,
        met && binds ? "met" : "not met");
    return met && binds;
  }

  /** One drain: its duration, what the channel saw, and cells held sampled over time. */
  record Drain(
      int workers,
      double ingestSeconds,
      double seconds,
      long delivered,
      boolean complete,
      double steadyCellsPerSecond,
      long requests,
      long throttled,
      long cells) {
    double cellsPerSecond() {
      return delivered / seconds;
    }

    double requestsPerSecond() {
      return requests / seconds;
    }
  }

  /** One fixed-time run under a quota: requests the channel received and its stats. */
  record Metered(int workers, double seconds, long requests, SimStats stats) {}

  private Drain drain(int n) throws Exception {
    SimConfig config = SimConfig.newBuilder().withSeed(n).withLatency(LATENCY).build();
    try (SimChannel sim = SimChannel.start(config, CLOCK);
        Workers w = Workers.start(jar, pg, dir, n, config(sim, null))) {
      warmUp(w, sim);
      SimStats before = sim.stats();
      long posted = CLOCK.nanoTime();
      backlog.post(w);
      long start = CLOCK.nanoTime(); // the backlog is pending from its commit on
      long total = backlog.cells();
      long tenth = -1;
      long ninetieth = -1;
      long deadline = start + DRAIN_TIMEOUT.toNanos();
      long held = backlog.held(sim);
      while (held < total && CLOCK.nanoTime() < deadline) {
        pause(Duration.ofMillis(50));
        held = backlog.held(sim);
        long now = CLOCK.nanoTime();
        if (tenth < 0 && held >= total / 10) {
          tenth = now;
        }
        if (ninetieth < 0 && held >= total * 9 / 10) {
          ninetieth = now;
        }
      }
      long end = CLOCK.nanoTime();
      double steady =
          tenth < 0 || ninetieth <= tenth
              ? Double.NaN
              : (total * 0.8) / ((ninetieth - tenth) / 1e9);
      return new Drain(
          n,
          (start - posted) / 1e9,
          (end - start) / 1e9,
          held,
          held >= total,
          steady,
          sim.stats().requests() - before.requests(),
          sim.stats().throttled() - before.throttled(),
          total);
    }
  }

  /** Drains the warm-up backlog, so the timed one meets warmed workers. */
  private void warmUp(Workers w, SimChannel sim) throws Exception {
    if (warmup.properties() == 0) {
      return;
    }
    warmup.post(w);
    long deadline = CLOCK.nanoTime() + DRAIN_TIMEOUT.toNanos();
    while (warmup.held(sim) < warmup.cells()) {
      if (CLOCK.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the warm-up backlog was not drained within "
                + DRAIN_TIMEOUT
                + ": the channel holds "
                + warmup.held(sim)
                + " of "
                + warmup.cells()
                + " cells");
      }
      pause(Duration.ofMillis(50));
    }
  }

  private Metered metered(int n, String quota, Duration length) throws Exception {
    SimConfig config =
        SimConfig.newBuilder().withSeed(n).withLatency(LATENCY).withQuota("ari", quota).build();
    try (SimChannel sim = SimChannel.start(config, CLOCK);
        Workers w = Workers.start(jar, pg, dir, n, config(sim, quota))) {
      backlog.post(w);
      // from two seconds after the first request: the engine forms its first batches before it
      // sends, and the windows start full, so neither the wait nor the first burst is the rate
      long deadline = CLOCK.nanoTime() + DRAIN_TIMEOUT.toNanos();
      while (sim.stats().requests() == 0 && CLOCK.nanoTime() < deadline) {
        pause(Duration.ofMillis(50));
      }
      pause(Duration.ofSeconds(2));
      long from = sim.stats().requests();
      long start = CLOCK.nanoTime();
      pause(length);
      long requests = sim.stats().requests() - from;
      double seconds = (CLOCK.nanoTime() - start) / 1e9;
      return new Metered(n, seconds, requests, sim.stats());
    }
  }

  /** The workers' configuration, without {@code database}: the channel and its quota. */
  private String config(SimChannel sim, @Nullable String quota) {
    StringBuilder b = new StringBuilder();
    b.append("engine: {tick: 20ms, lease: 10s, owner: scale}\n");
    // the backlog is one request (one transaction): above the default per-request bounds
    b.append("server: {drain: 1s, shutdownDeadline: 2s, maxBodyBytes: ")
        .append(Math.max(backlog.bodyBytes(), warmup.bodyBytes()))
        .append(", maxCellsPerRequest: ")
        .append(Math.max(backlog.cells(), warmup.cells()))
        .append("}\n");
    b.append("portfolio:\n  properties:\n")
        .append(backlog.propertiesYaml())
        .append(warmup.propertiesYaml());
    b.append("channels:\n  a:\n    adapter: native\n    baseUrl: ")
        .append(sim.baseUri())
        .append('\n')
        .append("    credentials: {apiKey: {header: X-Api-Key, value: \"${env:SCALE_KEY}\"}}\n")
        .append("    mapping: ")
        .append(backlog.mappingYaml())
        .append('\n');
    List<String> resilience = new ArrayList<>();
    if (quota != null) {
      resilience.add("quotas: {ari: [\"" + quota + "\"]}");
    }
    if (concurrency != null) {
      resilience.add("concurrency: " + concurrency);
    }
    if (!resilience.isEmpty()) {
      b.append("    resilience: {").append(String.join(", ", resilience)).append("}\n");
    }
    return b.toString();
  }

  /** Waits {@code d} of real time on the scheduler. */
  private static void pause(Duration d) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    TIMER.schedule(d, done::countDown);
    done.await();
  }
}
