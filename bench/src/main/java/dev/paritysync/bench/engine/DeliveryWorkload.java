package dev.paritysync.bench.engine;

import dev.paritysync.hotel.ari.Cell;
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.engine.Accepted;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.sim.SimConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * End-to-end delivery workloads: the whole hotel engine (ingest, batcher, delivery loop, SQLite
 * file) against one simulated channel over real HTTP on loopback, in real time, on the demo
 * portfolio (5 properties × 8 room types × 3 rate plans × 365 days = 43,800 rate cells). Each
 * scenario prints what it measured next to its target, and {@code met} or {@code not met}.
 *
 * <p>Scenarios ({@code all} runs each in turn):
 *
 * <ul>
 *   <li>{@code ratio} — requests sent ÷ the fewest requests that carry the final state, for a full
 *       year's rate load of the portfolio (one {@link Change} per run of equal rates, one ingest
 *       call per property), at fault rate 0 and 0.2 (the fault split evenly over 500, 502, 503 and
 *       504). The fewest: the engine's own range compressor over the final truth, per property,
 *       under the channel's limits. Sent: the simulator's request count.
 *   <li>{@code outage} — a 60 s outage ({@code --quick}: 10 s) during which 2,000 random
 *       single-cell rate changes per property arrive (quick: 300), spread evenly; then the time
 *       from the outage's end to parity ÷ (the fewest requests of the slowest property ÷ the
 *       quota). The quota binds: the engine is configured with 1 request per 6 s per property (10
 *       per minute as a steady rate), the simulator enforces 2 per 6 s.
 *   <li>{@code latency} — 1,000 single-cell changes per second (10 every 10 ms, in one ingest call
 *       each) for 60 s (quick: 10 s), 20 ms channel latency, no quota: p50/p95/p99 from the instant
 *       {@code accept} returned to the ledger's {@code batch.acknowledged} of the first
 *       acknowledged batch carrying that cell at that version or a newer one.
 *   <li>{@code latency-quota} — the same measurement under 10 requests per minute per property
 *       (engine and simulator alike), at 50 changes per second for 120 s (quick: 30 s). 1,000/s
 *       cannot be carried at that quota by any engine: 10 requests × 100 ranges per minute is 83
 *       single-cell ranges per second over 5 properties, so the backlog would grow without bound.
 * </ul>
 *
 * <p>Usage: {@code DeliveryWorkload [--quick] [--concurrency=N] [all|ratio|outage|latency|
 * latency-quota]}; {@code --concurrency} sets the channel's {@code resilience.concurrency}
 * (requests in flight, default 4) in every scenario.
 *
 * <p>An entry point, not a library: only {@link #main} is public, and nothing it builds escapes it,
 * so callers have no thread-safety to consider.
 */
public final class DeliveryWorkload {
  private static final String EUR = "EUR";

  private final boolean quick;
  private final @Nullable Integer concurrency; // null: the channel's resilience as configured
  private final SplittableRandom random = new SplittableRandom(20261124L);
  private int failures;

  private DeliveryWorkload(boolean quick, @Nullable Integer concurrency) {
    this.quick = quick;
    this.concurrency = concurrency;
  }

  /** {@code resilience} plus the {@code --concurrency} override, when given. */
  private Map<String, Object> resilience(Map<String, Object> resilience) {
    if (concurrency == null) {
      return resilience;
    }
    Map<String, Object> r = new LinkedHashMap<>(resilience);
    r.put("concurrency", concurrency);
    return r;
  }

  /** Runs the scenarios named in {@code args}; exits 1 when a target is not met. */
  public static void main(String[] args) {
    boolean quick = false;
    Integer concurrency = null;
    for (String a : args) {
      if (a.equals("--quick")) {
        quick = true;
      } else if (a.startsWith("--concurrency=")) {
        try {
          concurrency = Integer.parseInt(a.substring("--concurrency=".length()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--concurrency: '" + a + "' is not a number", e);
        }
      } else if (a.startsWith("--")) {
        throw new IllegalArgumentException(
            "unknown flag " + a + " (known: --quick, --concurrency=N)");
      }
    }
    List<String> names = Arrays.stream(args).filter(a -> !a.startsWith("--")).toList();
    if (names.isEmpty()) {
      names = List.of("all");
    }
    DeliveryWorkload w = new DeliveryWorkload(quick, concurrency);
    for (String name : names) {
      switch (name) {
        case "all" -> {
          w.ratio(0);
          w.ratio(0.2);
          w.outage();
          w.latency();
          w.latencyUnderQuota();
        }
        case "ratio" -> {
          w.ratio(0);
          w.ratio(0.2);
        }
        case "outage" -> w.outage();
        case "latency" -> w.latency();
        case "latency-quota" -> w.latencyUnderQuota();
        default ->
            throw new IllegalArgumentException(
                "unknown scenario '"
                    + name
                    + "' (known: all, ratio, outage, latency, latency-quota; flag --quick)");
      }
    }
    System.exit(w.failures == 0 ? 0 : 1);
  }

  // ------------------------------------------------------------------ ratio

  private void ratio(double p) {
    SimConfig sim =
        SimConfig.newBuilder()
            .withSeed(7)
            .withP500(p / 4)
            .withP502(p / 4)
            .withP503(p / 4)
            .withP504(p / 4)
            .build();
    try (DeliveryRig rig = new DeliveryRig(sim, resilience(Map.of()))) {
      rig.engine.start();
      Map<String, Cell> truth = new LinkedHashMap<>();
      long start = rig.clock.nanoTime();
      int changes = 0;
      for (int p1 = 1; p1 <= DeliveryRig.PROPERTIES; p1++) {
        List<Change> load = yearLoad(rig, DeliveryRig.property(p1), truth);
        changes += load.size();
        rig.engine.ingest().accept(load);
      }
      boolean settled = rig.awaitSettled(Duration.ofMillis(200), Duration.ofMinutes(10));
      Duration took = Duration.ofNanos(rig.clock.nanoTime() - start);
      Map<String, List<Cell>> finalTruth = DeliveryRig.byProperty(truth);
      int minimum = rig.minimumRequests(finalTruth);
      long sent = rig.sim.stats().requests();
      double target = 1 / (1 - p) + 0.05;
      HotelEngine.ChannelStatus s = rig.status();
      System.out.printf(
          Locale.ROOT,
          "ratio p=%.2f: %d changes, %d cells; sent %d requests (%d answered 200), minimum %d;"
              + " sent/minimum %.3f, target <= %.3f: %s%n",
          p,
          changes,
          truth.size(),
          sent,
          rig.sim.stats().count(200),
          minimum,
          (double) sent / minimum,
          target,
          verdict(settled && (double) sent / minimum <= target));
      details(rig, s, finalTruth, settled, took);
    }
  }

  /**
   * One property's year of rates as changes, one per run of equal rates: per room type and rate
   * plan a base rate, a monthly season and a weekend surcharge.
   */
  private List<Change> yearLoad(DeliveryRig rig, String property, Map<String, Cell> truth) {
    List<Change> changes = new ArrayList<>();
    for (int r = 1; r <= DeliveryRig.ROOMS; r++) {
      for (int pl = 0; pl < DeliveryRig.PLANS.size(); pl++) {
        String room = DeliveryRig.room(r);
        String plan = DeliveryRig.PLANS.get(pl);
        LocalDate runStart = rig.today;
        BigDecimal runRate = seasonal(r, pl, rig.today);
        for (int d = 0; d < DeliveryRig.DAYS; d++) {
          LocalDate date = rig.today.plusDays(d);
          BigDecimal rate = seasonal(r, pl, date);
          if (rate.compareTo(runRate) != 0) {
            changes.add(rateChange(property, room, plan, runStart, date.minusDays(1), runRate));
            runStart = date;
            runRate = rate;
          }
          Cell c =
              DeliveryRig.cell(property, room, plan, date, CellValues.ofRate(new Rate(rate, EUR)));
          truth.put(DeliveryRig.key(c), c);
        }
        LocalDate last = rig.today.plusDays(DeliveryRig.DAYS - 1);
        changes.add(rateChange(property, room, plan, runStart, last, runRate));
      }
    }
    return changes;
  }

  private static BigDecimal seasonal(int room, int plan, LocalDate date) {
    int base = 80 + room * 10 - plan * 5;
    int season = (date.getMonthValue() % 4) * 15;
    int weekend =
        date.getDayOfWeek().getValue() >= 5 && date.getDayOfWeek().getValue() <= 6 ? 20 : 0;
    return BigDecimal.valueOf(base + season + weekend).setScale(2);
  }

  private static Change rateChange(
      String property, String room, String plan, LocalDate from, LocalDate to, BigDecimal rate) {
    return Change.builder(property, room, from, to)
        .withRatePlan(plan)
        .withRate(new Rate(rate, EUR))
        .build();
  }

  // ------------------------------------------------------------------ outage

  private void outage() {
    Duration outage = quick ? Duration.ofSeconds(10) : Duration.ofSeconds(60);
    int perProperty = quick ? 300 : 2_000;
    double perSecond = 6; // the engine's quota: 1 request per 6 s per property
    SimConfig sim = SimConfig.newBuilder().withSeed(11).withQuota("ari", "2/6s").build();
    Map<String, Object> resilience = Map.of("quotas", Map.of("ari", List.of("1/6s")));
    try (DeliveryRig rig = new DeliveryRig(sim, resilience(resilience))) {
      rig.engine.start();
      rig.sim.setOutage(true);
      long start = rig.clock.nanoTime();
      Map<String, Cell> changed = new HashMap<>();
      int seconds = (int) outage.toSeconds();
      int total = perProperty * DeliveryRig.PROPERTIES;
      for (int s = 0; s < seconds; s++) {
        List<Change> batch = new ArrayList<>();
        int n = total / seconds + (s < total % seconds ? 1 : 0);
        for (int i = 0; i < n; i++) {
          int p = (s * (total / seconds) + i) % DeliveryRig.PROPERTIES + 1;
          batch.add(randomChange(rig, DeliveryRig.property(p), changed));
        }
        rig.engine.ingest().accept(batch);
        parkUntil(rig, start + Duration.ofSeconds(s + 1).toNanos());
      }
      rig.sim.setOutage(false);
      long end = rig.clock.nanoTime();
      HotelEngine.ChannelStatus atEnd = rig.status();
      boolean settled = rig.awaitSettled(Duration.ofMillis(100), Duration.ofMinutes(20));
      Duration toParity = Duration.ofNanos(rig.clock.nanoTime() - end);
      Map<String, List<Cell>> finalTruth = DeliveryRig.byProperty(changed);
      Map<String, Integer> minimum = rig.minimumRequestsByProperty(finalTruth);
      int slowest = minimum.values().stream().mapToInt(Integer::intValue).max().orElse(0);
      double ideal = slowest * perSecond;
      double ratio = toParity.toMillis() / 1000.0 / ideal;
      System.out.printf(
          Locale.ROOT,
          "outage %ds: %d changes on %d cells during it; circuit at its end %s; parity %.1f s"
              + " after it; minimum requests per property %s, slowest %d at 1/6s = %.0f s;"
              + " ratio %.3f, target <= 1.15: %s%n",
          seconds,
          total,
          changed.size(),
          atEnd.circuit(),
          toParity.toMillis() / 1000.0,
          minimum,
          slowest,
          ideal,
          ratio,
          verdict(settled && ratio <= 1.15));
      details(rig, rig.status(), finalTruth, settled, toParity);
    }
  }

  private Change randomChange(DeliveryRig rig, String property, Map<String, Cell> changed) {
    String room = DeliveryRig.room(random.nextInt(DeliveryRig.ROOMS) + 1);
    String plan = DeliveryRig.PLANS.get(random.nextInt(DeliveryRig.PLANS.size()));
    LocalDate date = rig.today.plusDays(random.nextInt(DeliveryRig.DAYS));
    BigDecimal rate = BigDecimal.valueOf(5_000 + random.nextInt(20_000), 2);
    Cell c = DeliveryRig.cell(property, room, plan, date, CellValues.ofRate(new Rate(rate, EUR)));
    changed.put(DeliveryRig.key(c), c);
    return rateChange(property, room, plan, date, date, rate);
  }

  // ----------------------------------------------------------------- latency

  private void latency() {
    SimConfig sim = SimConfig.newBuilder().withSeed(13).withLatency(Duration.ofMillis(20)).build();
    Duration run = quick ? Duration.ofSeconds(10) : Duration.ofSeconds(60);
    measureLatency("latency", sim, Map.of(), run, 1_000, 10, 99, 250, Duration.ofMinutes(10));
  }

  private void latencyUnderQuota() {
    SimConfig sim =
        SimConfig.newBuilder()
            .withSeed(17)
            .withLatency(Duration.ofMillis(20))
            .withQuota("ari", "10/1m")
            .build();
    Map<String, Object> resilience = Map.of("quotas", Map.of("ari", List.of("10/1m")));
    Duration run = quick ? Duration.ofSeconds(30) : Duration.ofSeconds(120);
    measureLatency("latency-quota", sim, resilience, run, 50, 1, 95, 60_000, Duration.ofMinutes(5));
  }

  /**
   * Ingests {@code perSecond} single-cell changes per second, {@code perCall} per ingest call at
   * even intervals, for {@code run}; then waits for parity and reports change → acknowledgement
   * percentiles, checking percentile {@code pct} against {@code targetMillis}.
   */
  private void measureLatency(
      String name,
      SimConfig sim,
      Map<String, Object> resilience,
      Duration run,
      int perSecond,
      int perCall,
      int pct,
      long targetMillis,
      Duration settleLimit) {
    try (DeliveryRig rig = new DeliveryRig(sim, resilience(resilience))) {
      rig.engine.start();
      Map<String, Cell> changed = new HashMap<>();
      List<String> keys = new ArrayList<>();
      List<long[]> stamps = new ArrayList<>(); // {version, accept returned at (epoch ms)}
      long intervalNanos = 1_000_000_000L * perCall / perSecond;
      long calls = run.toNanos() / intervalNanos;
      long start = rig.clock.nanoTime();
      long late = 0;
      for (long i = 0; i < calls; i++) {
        long due = start + i * intervalNanos;
        if (rig.clock.nanoTime() > due + intervalNanos) {
          late++;
        }
        parkUntil(rig, due);
        List<Change> batch = new ArrayList<>(perCall);
        List<String> batchKeys = new ArrayList<>(perCall);
        for (int j = 0; j < perCall; j++) {
          int p = (int) ((i * perCall + j) % DeliveryRig.PROPERTIES) + 1;
          Change c = randomChange(rig, DeliveryRig.property(p), changed);
          batch.add(c);
          batchKeys.add(
              DeliveryRig.key(c.property(), c.roomType(), c.ratePlan(), c.from().toString()));
        }
        Accepted a = rig.engine.ingest().accept(batch);
        long at = rig.clock.millis();
        for (String k : batchKeys) {
          keys.add(k);
          stamps.add(new long[] {a.version(), at});
        }
      }
      Duration ingestTook = Duration.ofNanos(rig.clock.nanoTime() - start);
      boolean settled = rig.awaitSettled(Duration.ofMillis(200), settleLimit);
      Map<String, NavigableMap<Long, Long>> acks = rig.acknowledgements();
      long[] latencies = new long[keys.size()];
      int unacked = 0;
      for (int i = 0; i < keys.size(); i++) {
        NavigableMap<Long, Long> cell = acks.get(keys.get(i));
        Map.Entry<Long, Long> ack = cell == null ? null : cell.ceilingEntry(stamps.get(i)[0]);
        if (ack == null) {
          unacked++;
          latencies[i] = Long.MAX_VALUE;
        } else {
          latencies[i] = Math.max(0, ack.getValue() - stamps.get(i)[1]);
        }
      }
      Arrays.sort(latencies);
      long p50 = percentile(latencies, 50);
      long p95 = percentile(latencies, 95);
      long p99 = percentile(latencies, 99);
      long measured = pct == 99 ? p99 : pct == 95 ? p95 : p50;
      System.out.printf(
          Locale.ROOT,
          "%s: %d changes in %.1f s (%.0f/s asked, %.0f/s achieved, %d ingest calls late),"
              + " %d requests; change -> ack p50 %s, p95 %s, p99 %s; p%d target <= %d"
              + " ms: %s%n",
          name,
          keys.size(),
          ingestTook.toMillis() / 1000.0,
          (double) perSecond,
          keys.size() / (ingestTook.toMillis() / 1000.0),
          late,
          rig.sim.stats().requests(),
          millis(p50),
          millis(p95),
          millis(p99),
          pct,
          targetMillis,
          verdict(settled && unacked == 0 && measured <= targetMillis));
      if (unacked > 0) {
        System.out.printf(
            Locale.ROOT,
            "  %d changes not acknowledged within %s after the run (counted as never)%n",
            unacked,
            settleLimit);
      }
      details(rig, rig.status(), DeliveryRig.byProperty(changed), settled, ingestTook);
    }
  }

  // ------------------------------------------------------------------ common

  private static long percentile(long[] sorted, int pct) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(pct / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static String millis(long ms) {
    return ms == Long.MAX_VALUE ? "never" : ms + " ms";
  }

  private static void parkUntil(DeliveryRig rig, long nanoTime) {
    long wait;
    while ((wait = nanoTime - rig.clock.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
    }
  }

  private String verdict(boolean met) {
    if (!met) {
      failures++;
    }
    return met ? "met" : "not met";
  }

  private static void details(
      DeliveryRig rig,
      HotelEngine.ChannelStatus s,
      Map<String, List<Cell>> truth,
      boolean settled,
      Duration took) {
    System.out.printf(
        Locale.ROOT,
        "  settled %s (%.1f s measured phase); drift %d cells; dead letters %d; reconciliation %d;"
            + " statuses %s; throttled %d; double applications %d; early requests %d;"
            + " batches by ledger kind %s; ranges per request %s%n",
        settled,
        took.toMillis() / 1000.0,
        rig.drift(truth),
        s.deadLetters(),
        s.reconciliation(),
        rig.sim.stats().byStatus(),
        rig.sim.stats().throttled(),
        rig.sim.stats().doubleApplications(),
        rig.sim.stats().requestsDuringAnnouncedWait(),
        rig.ledgerCounts(),
        rig.rangesPerRequest());
  }
}
