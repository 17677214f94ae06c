package dev.paritysync.bench.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.core.time.Clock;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Load on {@code paritysync serve}'s ingest API, then a SIGKILL in the middle of it.
 *
 * <ol>
 *   <li>Starts {@code paritysync serve} as a child process (the jar given by {@code --jar}) on a
 *       fresh SQLite file, delivering to a simulated channel in this process.
 *   <li><b>Baseline</b>: one client posting changes back to back for {@code --seconds}.
 *   <li><b>Load</b>: {@code --clients} (default 100) concurrent clients for {@code --seconds}; each
 *       request is one change of 7 nights with its own {@code Idempotency-Key}. Prints requests/s,
 *       p50/p95/p99 latency of the 202s, and the ratios against the baseline.
 *   <li><b>Kill</b>: the clients again; after {@code --kill-after} the server is killed with
 *       SIGKILL. Every change answered 202 is then looked up by its change id in the SQLite file.
 *       The server is restarted and the requests that got no answer are sent again with their keys:
 *       each is answered 202 once, and no change is stored twice.
 * </ol>
 *
 * Loopback only. Usage: {@code bench/serve-load.sh [--clients=N] [--seconds=S] [--kill-after=S]},
 * by default 100 clients, 20 s per run, the kill 5 s in and {@code
 * --jar=app/target/paritysync.jar}.
 *
 * <p>An entry point, not a library: besides {@link #main}, only {@link #ROOMS} (an immutable list)
 * and {@link #change} (a function of its arguments; the caller's random is the caller's to confine)
 * are public, for the chaos soak's PMS.
 */
public final class ServeLoad {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Clock CLOCK = Clock.system();
  private static final int PROPERTIES = 20;
  private static final String CONFIG = "paritysync.yaml";

  /** The room types of the benches' portfolio, each with rate plan {@code BAR}. */
  public static final List<String> ROOMS = List.of("DBL", "SGL");

  private final Path dir;
  private final SimChannel sim;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final LocalDate today = LocalDate.ofInstant(CLOCK.instant(), ZoneOffset.UTC).plusDays(1);
  private final ServeProcess server;
  private int killStatus;
  private @Nullable URI base;

  private ServeLoad(Path jar, Path dir) {
    this.dir = dir;
    this.sim = SimChannel.start(SimConfig.healthy(7), CLOCK);
    this.server =
        new ServeProcess(jar, dir.resolve(CONFIG), dir, List.of(), Map.of("LOAD_KEY", "k"));
  }

  /**
   * Runs the three parts with the arguments above; exits 1 when an answered change is missing or
   * stored twice.
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = new java.util.HashMap<>();
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
    int clients = Integer.parseInt(a.getOrDefault("clients", "100"));
    int seconds = Integer.parseInt(a.getOrDefault("seconds", "20"));
    int killAfter = Integer.parseInt(a.getOrDefault("kill-after", "5"));
    Path dir = Files.createTempDirectory("paritysync-serve-load");
    ServeLoad load = new ServeLoad(jar, dir);
    try {
      load.run(clients, seconds, killAfter);
    } finally {
      load.close();
    }
  }

  private void run(int clients, int seconds, int killAfter) throws Exception {
    System.out.printf(
        Locale.ROOT,
        "### Ingest API load (`paritysync serve`, SQLite, synchronous=FULL)%n%n"
            + "one change of 7 nights per request (14 cells), each with its own Idempotency-Key;"
            + " %d properties; %d s per run%n%n",
        PROPERTIES,
        seconds);
    startServer();
    Run baseline = drive("baseline", 1, Duration.ofSeconds(seconds), null);
    Run loaded = drive("load", clients, Duration.ofSeconds(seconds), null);
    System.out.println(
        "| run | clients | requests | 202 | other | req/s | p50 ms | p95 ms | p99 ms |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    baseline.row();
    loaded.row();
    System.out.printf(
        Locale.ROOT,
        "%nratios load/baseline: req/s %.2f, p50 %.2f, p99 %.2f%n%n",
        loaded.perSecond() / baseline.perSecond(),
        loaded.percentile(50) / baseline.percentile(50),
        loaded.percentile(99) / baseline.percentile(99));

    Run killed =
        drive("kill", clients, Duration.ofSeconds(killAfter + 30), Duration.ofSeconds(killAfter));
    long answered = killed.accepted.size();
    Set<String> ids = new HashSet<>();
    killed.accepted.values().forEach(ids::add);
    long found = found(ids);
    System.out.printf(
        Locale.ROOT,
        "### SIGKILL mid-run%n%n%d clients, SIGKILL %d s in (exit status %d)%n%n"
            + "| answered 202 | found in the store | missing | requests without an answer |%n"
            + "|---:|---:|---:|---:|%n| %d | %d | %d | %d |%n%n",
        clients,
        killAfter,
        killStatus,
        answered,
        found,
        answered - found,
        killed.unanswered.size());

    startServer();
    int replayed = 0;
    int fresh = 0;
    int failed = 0;
    for (Map.Entry<String, String> e : killed.unanswered.entrySet()) {
      HttpResponse<String> r = post(e.getKey(), e.getValue());
      if (r.statusCode() != 202) {
        failed++;
      } else if (r.headers().firstValue("Idempotent-Replayed").isPresent()) {
        replayed++;
      } else {
        fresh++;
      }
    }
    long changes = count("SELECT COUNT(*) FROM ari_changes");
    long answeredOnce = baseline.ok + loaded.ok + killed.acceptedCount() + replayed + fresh;
    System.out.printf(
        Locale.ROOT,
        "after a restart, the %d unanswered requests sent again with their keys: %d answered from"
            + " their key (they had committed before the kill), %d ingested now, %d failed.%n"
            + "changes stored: %d; requests answered 202 (each once): %d%n",
        killed.unanswered.size(),
        replayed,
        fresh,
        failed,
        changes,
        answeredOnce);
    if (answered != found || failed != 0 || changes != answeredOnce) {
      System.out.println("FAILED: an answered change is missing or was stored twice");
      System.exit(1);
    }
  }

  private void startServer() throws IOException, InterruptedException {
    Path config = dir.resolve(CONFIG);
    StringBuilder props = new StringBuilder();
    for (int p = 1; p <= PROPERTIES; p++) {
      props
          .append("    P")
          .append(p)
          .append(
              ": {timezone: UTC, rooms: {DBL: {ratePlans: {BAR: EUR}}, SGL: {ratePlans: {BAR: EUR}}}}\n");
    }
    Files.writeString(
        config,
        "database: {url: \"jdbc:sqlite:"
            + dir.resolve("serve.db")
            + "\"}\n"
            + "portfolio:\n  properties:\n"
            + props
            + "channels:\n  a:\n    adapter: native\n    baseUrl: "
            + sim.baseUri()
            + "/\n    credentials: {apiKey: {header: X-Api-Key, value: \"${env:LOAD_KEY}\"}}\n"
            + "    mapping: {rooms: {DBL: DBL, SGL: SGL}, ratePlans: {BAR: BAR}}\n"
            // every client's request in progress at once (the default, 64, would answer the
            // rest 503 at once)
            + "server: {port: 0, drain: 2s, shutdownDeadline: 2s, maxConcurrentRequests: 200}\n");
    server.start();
    base = server.base();
  }

  /** The results of one run. */
  private static final class Run {
    final String name;
    final int clients;
    final long nanos;
    final long ok;
    final long other;
    final long[] latencies;
    final Map<String, String> accepted; // key → change id
    final Map<String, String> unanswered; // key → body

    Run(
        String name,
        int clients,
        long nanos,
        long ok,
        long other,
        long[] latencies,
        Map<String, String> accepted,
        Map<String, String> unanswered) {
      this.name = name;
      this.clients = clients;
      this.nanos = nanos;
      this.ok = ok;
      this.other = other;
      this.latencies = latencies;
      this.accepted = accepted;
      this.unanswered = unanswered;
    }

    long acceptedCount() {
      return accepted.size();
    }

    double perSecond() {
      return ok / (nanos / 1e9);
    }

    double percentile(int p) {
      if (latencies.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.ceil(p / 100.0 * latencies.length) - 1;
      return latencies[Math.max(0, i)] / 1e6;
    }

    void row() {
      System.out.printf(
          Locale.ROOT,
          "| %s | %d | %d | %d | %d | %.0f | %.1f | %.1f | %.1f |%n",
          name,
          clients,
          ok + other,
          ok,
          other,
          perSecond(),
          percentile(50),
          percentile(95),
          percentile(99));
    }
  }

  private Run drive(String name, int clients, Duration length, @Nullable Duration killAt)
      throws InterruptedException {
    Tally tally = new Tally(clients);
    CountDownLatch done = new CountDownLatch(clients);
    long start = CLOCK.nanoTime();
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread t =
          new Thread(
              () -> {
                load(name, client, killAt, tally);
                done.countDown();
              },
              "load-" + client);
      t.setDaemon(true);
      t.start();
    }
    // The run's length is a timed wait on the clients' own completion, which never comes first.
    if (killAt != null) {
      done.await(killAt.toMillis(), TimeUnit.MILLISECONDS);
      killStatus = server.kill(); // SIGKILL
      done.await(60, TimeUnit.SECONDS);
    } else {
      done.await(length.toMillis(), TimeUnit.MILLISECONDS);
      tally.stop.set(true);
      done.await(60, TimeUnit.SECONDS);
    }
    long nanos = CLOCK.nanoTime() - start;
    List<Long> all = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      for (int i = 0; i < tally.counts[c]; i++) {
        all.add(tally.perClient.get(c)[i]);
      }
    }
    long[] sorted = all.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    return new Run(
        name,
        clients,
        nanos,
        Arrays.stream(tally.ok).sum(),
        Arrays.stream(tally.other).sum(),
        sorted,
        tally.accepted,
        tally.unanswered);
  }

  /**
   * One client's loop: posts changes until stopped (or, in a kill run, until the server is gone).
   */
  private void load(String name, int client, @Nullable Duration killAt, Tally tally) {
    SplittableRandom random = new SplittableRandom(client * 31L + name.hashCode());
    long[] lat = tally.perClient.get(client);
    int n = 0;
    while (!tally.stop.get()) {
      String key = name + "-" + client + "-" + n;
      String body = body(random, n);
      n++;
      long t0 = CLOCK.nanoTime();
      HttpResponse<String> r;
      try {
        r = post(key, body);
      } catch (IOException e) {
        tally.unanswered.put(key, body);
        if (killAt != null) {
          break; // the server is gone
        }
        continue;
      } catch (InterruptedException e) {
        break;
      }
      long took = CLOCK.nanoTime() - t0;
      if (r.statusCode() == 202) {
        if (tally.counts[client] < lat.length) {
          lat[tally.counts[client]++] = took;
        }
        tally.ok[client]++;
        tally.accepted.put(key, changeId(r.body()));
      } else {
        tally.other[client]++;
      }
    }
  }

  /** What the clients of one run count; each client writes only its own slots. */
  private static final class Tally {
    final AtomicBoolean stop = new AtomicBoolean();
    final Map<String, String> accepted = new ConcurrentHashMap<>();
    final Map<String, String> unanswered = new ConcurrentHashMap<>();
    final List<long[]> perClient = new ArrayList<>();
    final long[] ok;
    final long[] other;
    final int[] counts;

    Tally(int clients) {
      ok = new long[clients];
      other = new long[clients];
      counts = new int[clients];
      for (int c = 0; c < clients; c++) {
        perClient.add(new long[1 << 16]);
      }
    }
  }

  private String body(SplittableRandom random, int n) {
    return change(random, PROPERTIES, today, n);
  }

  /**
   * One request of the benches' PMS: one change of 7 nights from a random night of the 300 from
   * {@code first}, on property {@code P1..P<properties>} and room {@code DBL} or {@code SGL} with
   * rate plan {@code BAR}: a rate ({@code n} in its cents, so no two in a row are equal) and an
   * availability per night.
   */
  public static String change(SplittableRandom random, int properties, LocalDate first, int n) {
    int property = 1 + random.nextInt(properties);
    String room = ROOMS.get(random.nextInt(ROOMS.size()));
    LocalDate from = first.plusDays(random.nextInt(300));
    String amount = String.format(Locale.ROOT, "%d.%02d", 80 + random.nextInt(200), n % 100);
    return "{\"changes\":[{\"property\":\"P"
        + property
        + "\",\"roomType\":\""
        + room
        + "\",\"ratePlan\":\"BAR\",\"from\":\""
        + from
        + "\",\"to\":\""
        + from.plusDays(6)
        + "\",\"rate\":{\"amount\":\""
        + amount
        + "\",\"currency\":\"EUR\"},\"availability\":"
        + random.nextInt(10)
        + "}]}";
  }

  private HttpResponse<String> post(String key, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(
                Objects.requireNonNull(base, "ServeLoad: no server started").resolve("/v1/changes"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String changeId(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      return n.get("changes").get(0).get("id").asText();
    } catch (IOException e) {
      throw new IllegalStateException("202 without a change id: " + body, e);
    }
  }

  private long found(Set<String> ids) throws Exception {
    long n = 0;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("serve.db"));
        PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ari_changes WHERE id = ?")) {
      for (String id : ids) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            n++;
          }
        }
      }
    }
    return n;
  }

  private long count(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("serve.db"));
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void close() {
    if (server.alive()) {
      try {
        server.stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    sim.close();
  }
}
