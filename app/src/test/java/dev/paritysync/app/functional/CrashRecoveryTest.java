package dev.paritysync.app.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.app.functional.Cells.Key;
import dev.paritysync.app.functional.Cells.Value;
import dev.paritysync.app.testing.ChildJvm;
import dev.paritysync.core.time.Clock;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.CellValue;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 1 and 4 end to end: {@code paritysync run} as a child process, fed a few thousand
 * changes, killed with SIGKILL at ten seeded moments (during ingest and during delivery) and
 * restarted from the line after the last {@code accepted} it printed. Two faulty simulated channels
 * (about 28% of requests fail: 5xx, 429, connection resets) run in this JVM on the real clock.
 * Afterwards truth equals the fold of the feed, both channels hold truth for every mapped cell, no
 * idempotency key was applied twice, and nothing is pending, in flight or queued.
 */
class CrashRecoveryTest {
  private static final long SEED = Long.getLong("crash.seed", 20_261_123L);
  private static final int LINES = 3_000;
  private static final int BATCH = 50;
  private static final int KILLS = 10;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(120);
  private static final List<String> PROPERTIES = List.of("P1", "P2");
  private static final Map<String, String> ROOMS_A = Map.of("DBL", "D1", "SGL", "S1");
  private static final Map<String, String> PLANS_A = Map.of("BAR", "R1", "NRF", "R2");
  private static final Map<String, String> ROOMS_B = Map.of("DBL", "DB");
  private static final Map<String, String> PLANS_B = Map.of("BAR", "BA");

  @TempDir Path dir;

  private SimChannel simA;
  private SimChannel simB;
  private Child child;

  @AfterEach
  void stop() {
    if (child != null) {
      child.process.destroyForcibly();
    }
    if (simA != null) {
      simA.close();
    }
    if (simB != null) {
      simB.close();
    }
  }

  /**
   * One moment the engine was killed: what triggered it, how long after, how far the feed had been
   * accepted before and after this run, and the cells in flight at the last status line.
   */
  record Kill(
      int n,
      String trigger,
      long delayMillis,
      boolean feedComplete,
      long acceptedBefore,
      long acceptedAfter,
      long inFlightCells) {}

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void tenSigkillsLoseNoAcceptedChangeAndApplyNoBatchTwice() throws Exception {
    simA = SimChannel.start(faulty(SEED), Clock.system());
    simB = SimChannel.start(faulty(SEED + 1), Clock.system());
    Path config = dir.resolve("engine.yaml");
    Path feed = dir.resolve("feed.ndjson");
    Path db = dir.resolve("data/paritysync.db");
    Files.createDirectories(db.getParent());
    Files.writeString(config, config(db));
    Map<Key, Value> expected = CrashFeed.write(feed, LINES, PROPERTIES, new Random(SEED));

    Random dice = new Random(SEED);
    long accepted = 0;
    List<Kill> kills = new ArrayList<>();
    for (int n = 1; n <= KILLS; n++) {
      Kill kill = runAndKill(n, config, feed, accepted, dice);
      accepted = kill.acceptedAfter();
      kills.add(kill);
    }

    accepted = runToTheEnd(config, feed, accepted);

    print(kills, accepted);

    assertThat(accepted).isEqualTo(LINES);
    assertThat(kills).as("some kill hit mid-feed").anyMatch(k -> !k.feedComplete());
    assertThat(kills).as("some kill hit after the feed").anyMatch(Kill::feedComplete);
    assertThat(kills)
        .as("some kill hit while batches were in flight")
        .anyMatch(k -> k.inFlightCells() > 0);
    assertThat(truth(db)).isEqualTo(expected);
    assertThat(mismatches(simA, expected, ROOMS_A, PLANS_A)).isEmpty();
    assertThat(mismatches(simB, expected, ROOMS_B, PLANS_B)).isEmpty();
    assertThat(simA.doubleApplications()).isZero();
    assertThat(simB.doubleApplications()).isZero();
    assertThat(simA.stats().count(500) + simA.stats().resets()).isPositive();
    assertThat(
            count(
                db,
                "SELECT COUNT(*) FROM ari_outbox WHERE pending_version IS NOT NULL"
                    + " OR inflight_version IS NOT NULL"))
        .isZero();
    assertThat(openQueueItems(db)).as("open dead letters and reconciliation items").isEmpty();
    assertThat(
            count(
                db,
                "SELECT COUNT(*) FROM ari_outbox o JOIN ari_truth t ON t.property = o.property"
                    + " AND t.room_type = o.room_type AND t.rate_plan = o.rate_plan"
                    + " AND t.date = o.date WHERE o.acked_version IS NULL"
                    + " OR o.acked_version <> t.version"))
        .isZero();
  }

  /**
   * Run {@code n}: starts the engine from the line after {@code accepted}, waits for its trigger
   * (odd runs but the last two: mid-ingest; the others: mid-delivery), then SIGKILLs it.
   */
  private Kill runAndKill(int n, Path config, Path feed, long accepted, Random dice)
      throws Exception {
    child = Child.start(config, feed, accepted + 1, dir.resolve("stderr-" + n + ".log"));
    child.await("running", START_TIMEOUT, child.running::get);
    String trigger;
    long delay;
    if (n % 2 == 1 && n < KILLS - 1) {
      // During ingest: after 1-3 more calls of this run, plus up to 150 ms (mid-call or between).
      long target = child.accepted.get() + (1 + dice.nextInt(3)) * (long) BATCH;
      child.await(
          "accepted " + target,
          START_TIMEOUT,
          () -> child.accepted.get() >= target || child.feedComplete.get());
      trigger = "accepted " + child.accepted.get();
      delay = dice.nextInt(150);
    } else {
      // During delivery: once this run has sent requests, plus up to 300 ms, so the kill lands
      // while batches are leased, requests are out or acknowledgements are being written. The
      // last two kills wait for the whole feed first: delivery alone.
      if (n >= KILLS - 1) {
        child.await("feed complete", START_TIMEOUT, child.feedComplete::get);
      }
      child.await("requests sent", START_TIMEOUT, () -> child.requests() > 0 || child.allSettled());
      trigger = "requests " + child.requests();
      delay = dice.nextInt(300);
    }
    Thread.sleep(delay); // real time: the child runs on the real clock
    boolean feedComplete = child.feedComplete.get();
    long inFlight = child.inFlightCells();
    child.process.destroyForcibly(); // SIGKILL on Linux (ProcessImpl.destroy(true))
    assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(child.process.exitValue()).as("exit status of a SIGKILLed JVM").isEqualTo(137);
    child.drain();
    long after = Math.max(accepted, child.accepted.get());
    return new Kill(n, trigger, delay, feedComplete, accepted, after, inFlight);
  }

  /** The last run: to the end of the feed, every channel settled, then a clean SIGTERM. */
  private long runToTheEnd(Path config, Path feed, long accepted) throws Exception {
    child = Child.start(config, feed, accepted + 1, dir.resolve("stderr-final.log"));
    child.await("feed complete", START_TIMEOUT, child.feedComplete::get);
    child.await("every channel settled", SETTLE_TIMEOUT, child::allSettled);
    child.process.destroy(); // SIGTERM: a clean shutdown
    assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(child.process.exitValue()).as("exit status after SIGTERM: drained").isZero();
    child.drain();
    return Math.max(accepted, child.accepted.get());
  }

  private void print(List<Kill> kills, long accepted) {
    System.out.println(
        "CrashRecoveryTest: seed " + SEED + ", " + LINES + " lines, batches of " + BATCH);
    kills.forEach(
        k ->
            System.out.printf(
                "  kill %2d: %4d ms after '%s'%s; accepted through line %d → %d;"
                    + " cells in flight at the last status: %d%n",
                k.n(),
                k.delayMillis(),
                k.trigger(),
                k.feedComplete() ? " (feed complete)" : "",
                k.acceptedBefore(),
                k.acceptedAfter(),
                k.inFlightCells()));
    System.out.printf(
        "  final run: accepted through line %d; sim a %s; sim b %s%n",
        accepted, simA.stats().byStatus(), simB.stats().byStatus());
  }

  private static SimConfig faulty(long seed) {
    return SimConfig.newBuilder()
        .withSeed(seed)
        .withP500(0.06)
        .withP502(0.04)
        .withP503(0.05)
        .withP504(0.03)
        .withP429(0.05)
        .withPReset(0.05)
        .build();
  }

  private String config(Path db) {
    return String.join(
        "\n",
        "database: {url: \"jdbc:sqlite:" + db + "\"}",
        "engine: {tick: 20ms, lease: 2s, owner: crash-test, seed: " + SEED + "}",
        "portfolio:",
        "  properties:",
        "    P1: {timezone: Europe/Berlin, rooms: {DBL: {ratePlans: {BAR: EUR, NRF: EUR}},"
            + " SGL: {ratePlans: {BAR: EUR}}}}",
        "    P2: {timezone: America/New_York, rooms: {DBL: {ratePlans: {BAR: USD, NRF: USD}},"
            + " SGL: {ratePlans: {BAR: USD}}}}",
        "channels:",
        channel("a", simA, ROOMS_A, PLANS_A),
        channel("b", simB, ROOMS_B, PLANS_B),
        "");
  }

  private static String channel(
      String name, SimChannel sim, Map<String, String> rooms, Map<String, String> plans) {
    return "  "
        + name
        + ":\n"
        + "    adapter: native\n"
        + "    baseUrl: "
        + sim.baseUri()
        + "\n"
        + "    credentials: {apiKey: {header: X-Api-Key, value: \"${env:CRASH_TEST_KEY}\"}}\n"
        // With 28 % of requests failing, the default 5 retries exhaust for about one batch in 2,000
        // (0.28^6) — a dead letter by policy, about one run in 30. This test is about crashes, not
        // about giving up: 30 retries make that one in 10^16.
        + "    resilience: {backoff: {base: 100ms, cap: 2s, maxRetries: 30}}\n"
        + "    mapping: {rooms: "
        + yaml(rooms)
        + ", ratePlans: "
        + yaml(plans)
        + "}";
  }

  private static String yaml(Map<String, String> m) {
    StringBuilder b = new StringBuilder("{");
    m.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(k).append(": ").append(v));
    return b.append('}').toString();
  }

  private static Connection readOnly(Path db) throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro");
  }

  private static Map<Key, Value> truth(Path db) throws Exception {
    try (Connection c = readOnly(db)) {
      return Cells.truth(c);
    }
  }

  private static long count(Path db, String sql) throws Exception {
    try (Connection c = readOnly(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Every open queue item as {@code queue channel subject: reason}, so a failure names them. */
  private static List<String> openQueueItems(Path db) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = readOnly(db);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT queue, channel, subject, reason FROM queue_items WHERE state = 'open'")) {
      while (rs.next()) {
        out.add(
            rs.getString(1)
                + " "
                + rs.getString(2)
                + " "
                + rs.getString(3)
                + ": "
                + rs.getString(4));
      }
    }
    return out;
  }

  /** Every mapped cell whose value on {@code sim} differs from the fold, as readable lines. */
  private static List<String> mismatches(
      SimChannel sim,
      Map<Key, Value> expected,
      Map<String, String> rooms,
      Map<String, String> plans) {
    List<String> out = new ArrayList<>();
    Map<String, Integer> mapped = new LinkedHashMap<>();
    expected.forEach(
        (k, v) -> {
          String room = rooms.get(k.roomType());
          String plan = k.ratePlan() == null ? null : plans.get(k.ratePlan());
          if (room == null || (k.ratePlan() != null && plan == null)) {
            return;
          }
          mapped.merge(k.property(), 1, Integer::sum);
          CellValue held = sim.state(k.property()).get(new CellKey(room, plan, k.date()));
          if (!v.sameAs(held)) {
            out.add(k + ": truth " + v + ", channel " + held);
          }
        });
    for (String p : PROPERTIES) {
      int held = sim.state(p).size();
      if (held != mapped.getOrDefault(p, 0)) {
        out.add(p + ": channel holds " + held + " cells, truth maps " + mapped.get(p));
      }
    }
    return out;
  }

  /** A {@code paritysync run} child process and what it printed. */
  static final class Child {
    final ChildJvm jvm;
    final Process process;
    final AtomicBoolean running = new AtomicBoolean();
    final AtomicBoolean feedComplete = new AtomicBoolean();
    final AtomicLong accepted = new AtomicLong();
    final Map<String, Boolean> settledAfterFeed = new ConcurrentHashMap<>();
    final Map<String, Long> inFlight = new ConcurrentHashMap<>();
    final Map<String, Long> requests = new ConcurrentHashMap<>();
    final List<String> channels = List.of("a", "b");

    private Child(Path config, Path feed, long fromLine, Path stderr) throws IOException {
      this.jvm =
          ChildJvm.start(
              List.of(
                  "run",
                  "--config",
                  config.toString(),
                  "--feed",
                  feed.toString(),
                  "--from-line",
                  Long.toString(fromLine),
                  "--feed-batch",
                  Integer.toString(BATCH),
                  "--status-every",
                  "200ms"),
              Map.of("CRASH_TEST_KEY", "k"),
              stderr,
              this::read);
      this.process = jvm.process;
    }

    static Child start(Path config, Path feed, long fromLine, Path stderr) throws IOException {
      return new Child(config, feed, fromLine, stderr);
    }

    private void read(String line) {
      if (line.startsWith("running")) {
        running.set(true);
      } else if (line.startsWith("accepted ")) {
        accepted.set(Long.parseLong(line.substring("accepted ".length()).trim()));
      } else if (line.startsWith("feed complete")) {
        feedComplete.set(true);
      } else if (line.startsWith("status ")) {
        status(line);
      }
    }

    /** Parses {@code status <channel> settled=.. pending=.. inFlight=.. retrying=.. ...}. */
    private void status(String line) {
      String[] fields = line.split(" ");
      Map<String, String> f = new HashMap<>();
      for (int i = 2; i < fields.length; i++) {
        int eq = fields[i].indexOf('=');
        f.put(fields[i].substring(0, eq), fields[i].substring(eq + 1));
      }
      inFlight.put(fields[1], Long.parseLong(f.get("inFlight")));
      requests.put(fields[1], Long.parseLong(f.get("requests")));
      if (feedComplete.get()) {
        settledAfterFeed.put(
            fields[1], f.get("settled").equals("true") && f.get("retrying").equals("0"));
      }
    }

    long inFlightCells() {
      return inFlight.values().stream().mapToLong(Long::longValue).sum();
    }

    long requests() {
      return requests.values().stream().mapToLong(Long::longValue).sum();
    }

    boolean allSettled() {
      return channels.stream().allMatch(c -> settledAfterFeed.getOrDefault(c, false));
    }

    void drain() throws InterruptedException {
      jvm.drain();
    }

    void await(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
      jvm.await(what, timeout, done);
    }
  }
}
