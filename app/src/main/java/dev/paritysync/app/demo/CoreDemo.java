package dev.paritysync.app.demo;

import dev.paritysync.core.backoff.Backoff;
import dev.paritysync.core.backoff.Jitter;
import dev.paritysync.core.breaker.BreakerConfig;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.quota.QuotaLimit;
import dev.paritysync.core.retry.Call;
import dev.paritysync.core.retry.CallResult;
import dev.paritysync.core.retry.ChannelPolicy;
import dev.paritysync.core.retry.ResilientExecutor;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.SystemScheduler;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.CellValue;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The resilience demo: three simulated channels on loopback — one healthy, one flaky (5xx, 429s,
 * resets, slow answers), one with a ten-second outage and a few cells it rejects (rates under its
 * floor, conflicting cells) — and a revenue manager's burst of rate changes pushed to all three
 * through the resilience core. Shows progress per channel every second and ends with a parity check
 * of what each channel holds.
 */
public final class CoreDemo {
  private static final String[] ROOMS = {"STD", "DBL", "TWN", "KNG", "QUE", "STE", "FAM", "ACC"};
  private static final String[] PLANS = {"BAR", "NRF", "BB"};
  private static final int PROPERTIES = 5;
  private static final int SEGMENT_DAYS = 7;

  private final long seed;
  private final int callsPerChannel;
  private final PrintStream out;

  public CoreDemo(long seed, int callsPerChannel, PrintStream out) {
    if (callsPerChannel < 1 || callsPerChannel > PROPERTIES * ROOMS.length * PLANS.length * 50) {
      throw new IllegalArgumentException(
          "--changes must be between 1 and " + PROPERTIES * ROOMS.length * PLANS.length * 50);
    }
    this.seed = seed;
    this.callsPerChannel = callsPerChannel;
    this.out = out;
  }

  /** One rate change: a property's room and rate plan over a week. */
  record Change(
      int id, String property, String room, String plan, LocalDate from, BigDecimal rate) {
    LocalDate to() {
      return from.plusDays(SEGMENT_DAYS - 1);
    }
  }

  /** Runs the demo; returns the process exit code (0 when every channel is at parity). */
  public int run() throws Exception {
    Clock clock = Clock.system();
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    List<Change> changes = changes(today);

    Map<String, SimConfig> sims = new LinkedHashMap<>();
    sims.put("healthy", SimConfig.healthy(seed).toBuilder().withQuota("ari", "50/1s").build());
    sims.put("flaky", SimConfig.flaky(seed + 1));
    SimConfig.Builder outage =
        SimConfig.outage(seed + 2, Duration.ofSeconds(3), Duration.ofSeconds(13)).toBuilder()
            .withRateFloor(new BigDecimal("40.00"));
    for (Change c : changes.subList(0, Math.min(3, changes.size()))) {
      outage.withConflictCell(c.property() + "/" + c.room() + "/" + c.plan() + "/" + c.from());
    }
    sims.put("outage", outage.build());

    Map<String, ChannelPolicy> policies = new LinkedHashMap<>();
    policies.put("healthy", ChannelPolicy.builder("healthy").build());
    policies.put(
        "flaky",
        ChannelPolicy.builder("flaky")
            .withBackoff(
                Backoff.builder()
                    .withBase(Duration.ofMillis(500))
                    .withCap(Duration.ofSeconds(10))
                    .withMaxRetries(10)
                    .withJitter(Jitter.proportional(0.5))
                    .build())
            // the quota this channel publishes; its random 429s still pause a property's key
            .withQuota("ari", List.of(QuotaLimit.parse("20/1s")))
            // This channel fails ~30 % of requests, so a change needs ~0.45 retries on average.
            // Under the default budget (20 % of the first attempts of the last 10 s) the retries
            // of a burst would trickle out at the floor once the burst leaves the window; 60 % of
            // the first attempts of the last minute is the honest allowance for this channel.
            .withRetryBudget(0.6, 20, Duration.ofMinutes(1))
            // and its circuit should open when it is worse than its usual self, not at every
            // unlucky streak of its usual failures
            .withBreaker(new BreakerConfig(70f, 40, 20, 12, Duration.ofSeconds(5), 3))
            .build());
    policies.put(
        "outage",
        ChannelPolicy.builder("outage")
            .withBackoff(
                Backoff.builder()
                    .withBase(Duration.ofMillis(500))
                    .withCap(Duration.ofSeconds(5))
                    .withMaxRetries(12)
                    .withJitter(Jitter.full())
                    .build())
            .withBreaker(new BreakerConfig(50f, 20, 10, 5, Duration.ofSeconds(4), 2))
            .build());

    List<SimChannel> started = new ArrayList<>();
    try (SystemScheduler scheduler = dev.paritysync.core.time.Scheduler.system(2);
        Transport transport =
            Transport.builder()
                .withRequestTimeout(Duration.ofMillis(800))
                .withClock(clock)
                .build()) {
      ResilientExecutor.Builder eb =
          ResilientExecutor.builder(scheduler).withRandom(new SplittableRandom(seed));
      policies.values().forEach(eb::withPolicy);
      ResilientExecutor executor = eb.build();

      Map<String, SimChannel> channels = new LinkedHashMap<>();
      for (Map.Entry<String, SimConfig> e : sims.entrySet()) {
        SimChannel sim = SimChannel.start(e.getValue(), clock);
        started.add(sim);
        channels.put(e.getKey(), sim);
      }
      out.printf(
          "paritysync demo: %d rate changes (%d properties × %d rooms × %d rate plans, a week"
              + " each) to %d simulated channels on loopback%n",
          changes.size(), PROPERTIES, ROOMS.length, PLANS.length, channels.size());
      channels.forEach((name, sim) -> out.printf("  %-8s %s%n", name, sim.baseUri()));

      Map<String, Progress> progress = new LinkedHashMap<>();
      Map<String, Map<Integer, CompletableFuture<CallResult>>> results = new LinkedHashMap<>();
      long startNanos = clock.nanoTime();
      for (Map.Entry<String, SimChannel> e : channels.entrySet()) {
        String name = e.getKey();
        NativeAriClient client = new NativeAriClient(transport, e.getValue().baseUri());
        Progress p = new Progress(changes.size());
        progress.put(name, p);
        Map<Integer, CompletableFuture<CallResult>> byChange = new ConcurrentHashMap<>();
        results.put(name, byChange);
        for (Change c : changes) {
          NativeAriClient.Update update =
              new NativeAriClient.Update(
                  c.room(), c.plan(), c.from(), c.to(), c.rate(), "EUR", null);
          Call call =
              new Call(
                  name,
                  c.property(),
                  "ari",
                  "demo-" + seed + "-" + name + "-" + c.id(),
                  "change-" + c.id(),
                  (context, token) -> {
                    p.sent.incrementAndGet();
                    return client.push(c.property(), List.of(update)).send(context, token);
                  });
          byChange.put(c.id(), executor.submit(call).whenComplete((r, x) -> p.done(r)));
        }
      }

      CompletableFuture<Void> all =
          CompletableFuture.allOf(
              results.values().stream()
                  .flatMap(m -> m.values().stream())
                  .toArray(CompletableFuture[]::new));
      while (true) {
        try {
          all.get(1, TimeUnit.SECONDS);
          break;
        } catch (java.util.concurrent.TimeoutException e) {
          printProgress(progress, executor, clock.nanoTime() - startNanos);
        }
      }
      printProgress(progress, executor, clock.nanoTime() - startNanos);
      return report(changes, channels, results);
    } finally {
      for (SimChannel sim : started) {
        sim.close();
      }
    }
  }

  private List<Change> changes(LocalDate today) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Change> list = new ArrayList<>();
    int combos = PROPERTIES * ROOMS.length * PLANS.length;
    for (int i = 0; i < callsPerChannel; i++) {
      int combo = i % combos;
      int segment = i / combos;
      String property = "P" + (combo / (ROOMS.length * PLANS.length) + 1);
      String room = ROOMS[(combo / PLANS.length) % ROOMS.length];
      String plan = PLANS[combo % PLANS.length];
      // one change in fifty is a typo under the outage channel's 40.00 floor
      BigDecimal rate =
          random.nextInt(50) == 0
              ? new BigDecimal("35.00")
              : BigDecimal.valueOf(8000 + random.nextInt(22000), 2)
                  .setScale(2, RoundingMode.UNNECESSARY);
      list.add(
          new Change(
              i + 1,
              property,
              room,
              plan,
              today.plusDays(1 + (long) segment * SEGMENT_DAYS),
              rate));
    }
    return list;
  }

  private void printProgress(
      Map<String, Progress> progress, ResilientExecutor executor, long elapsedNanos) {
    StringBuilder sb = new StringBuilder(String.format("[%5.1fs]", elapsedNanos / 1e9));
    progress.forEach(
        (name, p) -> {
          long done = p.acked.get() + p.dead.get() + p.reconcile.get();
          sb.append(
              String.format(
                  " | %s %d/%d acked, %d pending, %d dead, %d reconcile, %d req, %s",
                  name,
                  p.acked.get(),
                  p.total,
                  p.total - done,
                  p.dead.get(),
                  p.reconcile.get(),
                  p.sent.get(),
                  executor
                      .breakers()
                      .get(name, "ari", executor.policy(name).breaker())
                      .state()
                      .name()
                      .toLowerCase(java.util.Locale.ROOT)));
        });
    out.println(sb);
  }

  private int report(
      List<Change> changes,
      Map<String, SimChannel> channels,
      Map<String, Map<Integer, CompletableFuture<CallResult>>> results) {
    out.println();
    out.println(
        "channel   changes  acked  dead letters (reason)           reconcile  requests  "
            + "min  at parity  double applications");
    boolean ok = true;
    for (Map.Entry<String, SimChannel> e : channels.entrySet()) {
      String name = e.getKey();
      SimChannel sim = e.getValue();
      Map<String, Integer> reasons = new TreeMap<>();
      int acked = 0;
      int reconcile = 0;
      int atParity = 0;
      int mismatched = 0;
      Map<String, Map<CellKey, CellValue>> state = new LinkedHashMap<>();
      for (Change c : changes) {
        CallResult r = results.get(name).get(c.id()).join();
        switch (r.status()) {
          case ACKNOWLEDGED:
            acked++;
            Map<CellKey, CellValue> held = state.computeIfAbsent(c.property(), sim::state);
            boolean same = true;
            for (LocalDate d = c.from(); !d.isAfter(c.to()); d = d.plusDays(1)) {
              CellValue v = held.get(new CellKey(c.room(), c.plan(), d));
              same &= v != null && v.rate() != null && v.rate().compareTo(c.rate()) == 0;
            }
            if (same) {
              atParity++;
            } else {
              mismatched++;
            }
            break;
          case RECONCILE:
            reconcile++;
            break;
          default:
            reasons.merge(r.reason(), 1, Integer::sum);
        }
      }
      int dead = reasons.values().stream().mapToInt(Integer::intValue).sum();
      long requests = sim.stats().requests();
      long doubles = sim.doubleApplications();
      out.printf(
          "%-9s %7d  %5d  %-30s  %9d  %8d  %4d  %9s  %d%n",
          name,
          changes.size(),
          acked,
          dead + (reasons.isEmpty() ? "" : " " + reasons),
          reconcile,
          requests,
          changes.size(),
          atParity + "/" + acked,
          doubles);
      ok &= mismatched == 0 && doubles == 0 && acked + dead + reconcile == changes.size();
    }
    out.println();
    out.println(
        ok
            ? "PARITY: every acknowledged change is what its channel holds; every other change is"
                + " in a queue with its reason; nothing applied twice."
            : "NOT AT PARITY: see the table above.");
    return ok ? 0 : 1;
  }

  /** Counters for one channel, updated from executor threads. */
  private static final class Progress {
    final int total;
    final AtomicLong acked = new AtomicLong();
    final AtomicLong dead = new AtomicLong();
    final AtomicLong reconcile = new AtomicLong();
    final AtomicLong sent = new AtomicLong();

    Progress(int total) {
      this.total = total;
    }

    void done(CallResult r) {
      if (r == null) {
        dead.incrementAndGet();
        return;
      }
      switch (r.status()) {
        case ACKNOWLEDGED:
          acked.incrementAndGet();
          break;
        case RECONCILE:
          reconcile.incrementAndGet();
          break;
        default:
          dead.incrementAndGet();
      }
    }
  }
}
