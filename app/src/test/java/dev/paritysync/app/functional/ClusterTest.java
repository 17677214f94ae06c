package dev.paritysync.app.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.app.testing.PgSchema;
import dev.paritysync.app.testing.RunsAlone;
import dev.paritysync.app.testing.ServeWorkers;
import dev.paritysync.core.time.Clock;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.sim.SimStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several {@code paritysync serve} workers on one PostgreSQL (issue 13), end to end: child JVMs on
 * a fresh schema of the server {@code PARITYSYNC_PG_URL} names (skipped without it), simulated
 * channels in this JVM on the real clock. Every guarantee of one process must hold for the cluster:
 * nothing accepted is lost, parity converges, nothing is applied twice, and the channel's quota,
 * its announced waits and its token lifetimes are respected by the workers together, not by each.
 *
 * <p>Run it with {@code -Dcrash.echo} to see what the workers print; it prints what it measured.
 */
@RunsAlone
class ClusterTest {
  private static final long SEED = Long.getLong("cluster.seed", 20_261_301L);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration PARITY_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration TOKEN_TTL = Duration.ofSeconds(20);

  /** The engine refreshes a token this long before it expires (60 s, at most half its life). */
  private static final Duration TOKEN_SKEW = TOKEN_TTL.dividedBy(2);

  /**
   * A request that arrives this soon after the channel announced a wait may have been sent before
   * any worker could know of it: requests in flight at once, and the time a worker takes to read
   * the answer and write the pause where the others read it.
   */
  private static final Duration GRACE = Duration.ofMillis(300);

  private static final Map<String, String> CURRENCIES =
      new LinkedHashMap<>(Map.of("P1", "EUR", "P2", "USD", "P3", "GBP"));
  private static final Map<String, List<String>> ROOMS =
      Map.of("DBL", List.of("BAR", "NRF"), "SGL", List.of("BAR"));

  /** The secrets the configuration refers to. */
  private static final Map<String, String> ENV =
      Map.of("CLUSTER_TEST_SECRET", "cluster-secret", "CLUSTER_TEST_KEY", "k");

  private static final Map<String, String> ROOMS_A = Map.of("DBL", "D1", "SGL", "S1");
  private static final Map<String, String> PLANS_A = Map.of("BAR", "R1", "NRF", "R2");
  private static final Map<String, String> ROOMS_B = Map.of("DBL", "DB");
  private static final Map<String, String> PLANS_B = Map.of("BAR", "BA");

  @TempDir Path dir;

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closing(T resource) {
    open.add(resource);
    return resource;
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void threeWorkersWithASigkillKeepEveryGuaranteeOfOne() throws Exception {
    PgSchema schema = closing(PgSchema.open("cluster", "the cluster end-to-end test"));
    long t0 = System.nanoTime();
    // ~30 % faults, 10 requests per minute per property, tokens that live 20 s, and an outage
    // each: a while one worker is dead, b after it came back
    SimChannel simA =
        closing(SimChannel.start(faulty(SEED, Duration.ofSeconds(35)), Clock.system()));
    SimChannel simB =
        closing(SimChannel.start(faulty(SEED + 1, Duration.ofSeconds(55)), Clock.system()));
    List<Cells.Channel> channels =
        List.of(
            new Cells.Channel("a", simA, ROOMS_A, PLANS_A),
            new Cells.Channel("b", simB, ROOMS_B, PLANS_B));
    Path config = dir.resolve("cluster.yaml");
    Files.writeString(config, config(schema.url(), channels, "10/1m"));
    ServeWorkers workers = closing(new ServeWorkers(3, config, dir, ENV));

    workers.startAll(); // together: their migrations race
    workers.awaitServing(START_TIMEOUT);
    long serving = System.nanoTime();
    ChangeStream stream =
        closing(
            new ChangeStream(
                workers,
                new ChangeStream.Portfolio(
                    CURRENCIES, ROOMS, LocalDate.now(ZoneOffset.UTC).plusDays(3), 30)));
    stream.start(2, Duration.ofMillis(150), 3, SEED);
    Thread.sleep(15_000);
    int killed = workers.kill(1); // SIGKILL mid-stream: its leases expire, the others go on
    Thread.sleep(15_000);
    workers.start(1); // and it comes back
    workers.awaitServing(1, START_TIMEOUT);
    Thread.sleep(10_000);
    stream.stop();
    long streamed = System.nanoTime();

    List<String> mismatches = awaitParity(schema, channels, PARITY_TIMEOUT);
    long parity = System.nanoTime();
    Map<String, SimStats> stats = new LinkedHashMap<>();
    channels.forEach(c -> stats.put(c.name(), c.sim().stats()));
    List<Integer> exits = workers.stopAll(Duration.ofSeconds(30));
    Duration elapsed = Duration.ofNanos(parity - t0);

    System.out.printf(
        "ClusterTest: seed %d; workers serving after %d ms, stream %d ms, parity %d ms later%n",
        SEED,
        (serving - t0) / 1_000_000,
        (streamed - serving) / 1_000_000,
        (parity - streamed) / 1_000_000);
    System.out.printf(
        "  stream: %d requests accepted (%d changes), %d HTTP requests, %d resent, %d replayed%n",
        stream.accepted().size(),
        stream.accepted().stream().mapToInt(a -> a.changes().size()).sum(),
        stream.sent(),
        stream.resends(),
        stream.replays());
    stats.forEach((name, s) -> System.out.println("  channel " + name + ": " + summary(s)));

    assertThat(killed).as("exit status of the SIGKILLed worker").isEqualTo(137);
    assertThat(stream.failures()).as("requests never answered 202").isEmpty();
    assertThat(stream.accepted()).hasSizeGreaterThan(100);
    assertThat(mismatches).as("cells not at parity after %s", PARITY_TIMEOUT).isEmpty();
    try (Connection c = schema.connect()) {
      assertThat(missing(c, stream.accepted())).as("accepted changes missing").isEmpty();
      assertThat(Cells.truth(c))
          .as("truth: the 202s folded in version order")
          .isEqualTo(stream.fold());
    }
    assertEveryChannelsGuaranteesHeld(stats, elapsed);
    assertEveryWorkerDrained(exits, workers);
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aRemainingZeroOnASuccessPausesEveryWorker() throws Exception {
    PgSchema schema = closing(PgSchema.open("cluster", "the cluster's Remaining: 0 test"));
    // No fault, no quota configured in the engine: only the channel's "Remaining: 0" on the 200
    // that takes its last token can stop the workers, for the up to 15 s it announces.
    SimChannel sim =
        closing(
            SimChannel.start(
                SimConfig.newBuilder().withSeed(SEED).withQuota("ari", "4/15s").build(),
                Clock.system()));
    List<Cells.Channel> channels = List.of(new Cells.Channel("a", sim, ROOMS_A, PLANS_A));
    Path config = dir.resolve("remaining.yaml");
    Files.writeString(config, config(schema.url(), channels, null));
    ServeWorkers workers = closing(new ServeWorkers(2, config, dir, ENV));
    workers.startAll();
    workers.awaitServing(START_TIMEOUT);
    ChangeStream stream =
        closing(
            new ChangeStream(
                workers,
                new ChangeStream.Portfolio(
                    Map.of("P1", "EUR"), ROOMS, LocalDate.now(ZoneOffset.UTC).plusDays(3), 30)));
    // One change at a time, each to a worker picked at random, spaced so that a request is never
    // in flight when the one before it is answered: all of them after the fourth must wait.
    Random random = new Random(SEED);
    long start = System.nanoTime();
    while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(12)) {
      stream.send(List.of(oneNight(random)), random);
      Thread.sleep(400);
    }

    List<String> mismatches = awaitParity(schema, channels, Duration.ofSeconds(90));
    SimStats s = sim.stats();
    workers.stopAll(Duration.ofSeconds(30));
    System.out.println("ClusterTest Remaining: 0: " + summary(s));

    assertThat(stream.failures()).isEmpty();
    assertThat(mismatches).isEmpty();
    assertThat(s.count(200)).as("requests applied").isGreaterThan(4);
    assertThat(s.maxRequestsInWindow())
        .as("a window was used up: %s", s.peakRequestsPerWindow())
        .isEqualTo(4);
    assertThat(s.requestsDuringAnnouncedWait(GRACE)).isZero();
    assertThat(s.quotaRefusals()).isZero();
  }

  /**
   * What each channel saw, for the cluster as a whole: applied requests and faults, no double
   * application, no request during an announced wait, the quota and the token lifetimes kept.
   */
  private static void assertEveryChannelsGuaranteesHeld(
      Map<String, SimStats> stats, Duration elapsed) {
    stats.forEach(
        (name, s) -> {
          assertThat(s.count(200)).as("%s: applied requests", name).isPositive();
          assertThat(s.throttled() + s.count(500) + s.resets())
              .as("%s: faults happened", name)
              .isPositive();
          assertThat(s.doubleApplications()).as("%s: double applications", name).isZero();
          assertThat(s.requestsDuringAnnouncedWait(GRACE))
              .as("%s: requests during an announced wait, more than %s after it", name, GRACE)
              .isZero();
          assertThat(s.quotaRefusals()).as("%s: 429s for a spent quota", name).isZero();
          assertThat(s.maxRequestsInWindow())
              .as("%s: most requests in one quota window: %s", name, s.peakRequestsPerWindow())
              .isLessThanOrEqualTo(10);
          // one refresh per token lifetime as the engine lives it (it refreshes TOKEN_SKEW early),
          // for the cluster, however many workers and restarts
          long lifetimes = elapsed.toNanos() / TOKEN_TTL.minus(TOKEN_SKEW).toNanos();
          assertThat(s.tokensIssued())
              .as("%s: tokens issued over %s", name, elapsed)
              .isPositive()
              .isLessThanOrEqualTo(lifetimes + 1);
          // and never two at once: each refresh a lifetime after the one before (less the second
          // that expires_in, in whole seconds, may take off)
          s.shortestTokenInterval()
              .ifPresent(
                  d ->
                      assertThat(d)
                          .as("%s: shortest time between two tokens issued", name)
                          .isGreaterThanOrEqualTo(TOKEN_TTL.minus(TOKEN_SKEW).minusSeconds(1)));
        });
  }

  /** Every worker exited 0 on SIGTERM; the stderr of any that did not is in the message. */
  private static void assertEveryWorkerDrained(List<Integer> exits, ServeWorkers workers) {
    StringBuilder tails = new StringBuilder();
    for (int i = 0; i < exits.size(); i++) {
      if (exits.get(i) != 0) {
        tails.append("\nworker ").append(i).append(" stderr:\n").append(workers.tail(i));
      }
    }
    assertThat(exits).as("exit statuses after SIGTERM: drained%s", tails).containsOnly(0);
  }

  /** About 30 % faults, 10 requests per minute per property, 20 s tokens, a 10 s outage. */
  private static SimConfig faulty(long seed, Duration outageFrom) {
    return SimConfig.flaky(seed).toBuilder()
        .withQuota("ari", "10/1m")
        .withOAuth("ps", "cluster-secret", TOKEN_TTL)
        .withOutage(outageFrom, outageFrom.plusSeconds(10))
        .build();
  }

  private static ChangeStream.Change oneNight(Random r) {
    LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(3 + r.nextInt(30));
    return new ChangeStream.Change(
        "P1",
        "DBL",
        "BAR",
        day,
        day,
        java.math.BigDecimal.valueOf(6_000 + r.nextInt(20_000), 2),
        "EUR",
        null,
        null,
        null);
  }

  /**
   * Waits (polling every 2 s, up to {@code timeout}) until every channel holds truth for every
   * mapped cell that no open queue item holds; returns what still differs, with the items listed.
   */
  private static List<String> awaitParity(
      PgSchema schema, List<Cells.Channel> channels, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> out;
    while (true) {
      out = new ArrayList<>();
      List<String> items = new ArrayList<>();
      try (Connection c = schema.connect()) {
        Map<Cells.Key, Cells.Value> truth = Cells.truth(c);
        for (Cells.Channel ch : channels) {
          Set<Cells.Key> parked = new HashSet<>(Cells.parked(c, ch.name(), items));
          out.addAll(Cells.mismatches(ch, truth, parked, List.copyOf(CURRENCIES.keySet())));
        }
      }
      if (!items.isEmpty()) {
        System.out.println(
            "ClusterTest: open queue items (their cells are not compared): " + items);
      }
      if (out.isEmpty() || System.nanoTime() > deadline) {
        return out.size() > 20 ? out.subList(0, 20) : out;
      }
      Thread.sleep(2_000);
    }
  }

  /** The accepted changes whose id is not in {@code ari_changes} at the version the 202 named. */
  private static List<String> missing(Connection c, List<ChangeStream.Accepted> accepted)
      throws Exception {
    List<String> out = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("SELECT version FROM ari_changes WHERE id = ?")) {
      for (ChangeStream.Accepted a : accepted) {
        for (String id : a.ids()) {
          s.setString(1, id);
          try (ResultSet rs = s.executeQuery()) {
            if (!rs.next() || rs.getLong(1) != a.version()) {
              out.add(id + " (key " + a.key() + ", version " + a.version() + ")");
            }
          }
        }
      }
    }
    return out;
  }

  private static String summary(SimStats s) {
    long strict = s.requestsDuringAnnouncedWait();
    return String.format(
        "%d requests %s, %d resets, %d quota refusals, peak per window %s,"
            + " %d during an announced wait (%d later than %s), %d tokens issued (%d requests,"
            + " shortest interval %s), %d double applications",
        s.requests(),
        s.byStatus(),
        s.resets(),
        s.quotaRefusals(),
        s.peakRequestsPerWindow(),
        strict,
        s.requestsDuringAnnouncedWait(GRACE),
        GRACE,
        s.tokensIssued(),
        s.tokenRequests(),
        s.shortestTokenInterval().map(Duration::toString).orElse("-"),
        s.doubleApplications());
  }

  /**
   * The workers' configuration: {@code database.url} on the schema, short leases so a dead worker's
   * batches and singletons move on within seconds, the portfolio and {@code channels}, each with
   * {@code quota} (null for none) and, when its simulator has OAuth, client credentials.
   */
  private static String config(String url, List<Cells.Channel> channels, String quota) {
    StringBuilder b =
        new StringBuilder()
            .append("database: {url: \"")
            .append(url)
            .append("\"}\n")
            .append("engine: {tick: 20ms, lease: 5s, owner: cluster-test, seed: ")
            .append(SEED)
            .append("}\n")
            .append("cluster: {heartbeat: 1s, singletonLease: 5s}\n")
            .append("server: {drain: 1s, shutdownDeadline: 5s}\n")
            .append("portfolio:\n  properties:\n");
    CURRENCIES.forEach(
        (p, cur) ->
            b.append("    ")
                .append(p)
                .append(": {timezone: UTC, rooms: {DBL: {ratePlans: {BAR: ")
                .append(cur)
                .append(", NRF: ")
                .append(cur)
                .append("}}, SGL: {ratePlans: {BAR: ")
                .append(cur)
                .append("}}}}\n"));
    b.append("channels:\n");
    for (Cells.Channel c : channels) {
      b.append("  ").append(c.name()).append(":\n");
      b.append("    adapter: native\n");
      b.append("    baseUrl: ").append(c.sim().baseUri()).append('\n');
      if (c.sim().config().oauth() != null) {
        b.append("    credentials: {oauth2: {tokenUrl: \"")
            .append(c.sim().baseUri().resolve("/oauth/token"))
            .append("\", clientId: ps, clientSecret: \"${env:CLUSTER_TEST_SECRET}\"}}\n");
      } else {
        b.append(
            "    credentials: {apiKey: {header: X-Api-Key, value: \"${env:CLUSTER_TEST_KEY}\"}}\n");
      }
      b.append("    mapping: {rooms: ")
          .append(yaml(c.rooms()))
          .append(", ratePlans: ")
          .append(yaml(c.plans()))
          .append("}\n");
      if (quota != null) {
        b.append("    resilience: {quotas: {ari: [\"").append(quota).append("\"]}}\n");
      }
    }
    return b.toString();
  }

  private static String yaml(Map<String, String> m) {
    StringBuilder b = new StringBuilder("{");
    m.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(k).append(": ").append(v));
    return b.append('}').toString();
  }
}
