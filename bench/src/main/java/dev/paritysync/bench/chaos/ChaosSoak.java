package dev.paritysync.bench.chaos;

import dev.paritysync.bench.server.ServeProcess;
import dev.paritysync.core.time.Clock;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The chaos soak (issue 15): {@code paritysync serve} on SQLite for {@code --minutes}, delivering
 * to a flaky simulated channel (≈30 % faults, quotas), fed by a retrying PMS ({@link Load}) beside
 * hostile clients ({@link Hostile}: slowloris connections, malformed and oversized requests), while
 * {@link Chaos} kills the server with SIGKILL and restarts it, holds the database's write lock from
 * another program, and fills the disk. Then the load stops, the channel settles, the server is
 * stopped with SIGTERM, and {@link Verdict} checks: every 202 in the store and nothing stored
 * twice, parity with the truth, no double application on the channel, liveness answered throughout
 * (while the server was up), memory flat, the queue bounded, no 5xx other than 503 to a hostile
 * request, exit 0 after the drain. Exits 1 when a check fails.
 *
 * <p>Usage: {@code bench/chaos-soak.sh [--minutes=3] [--clients=8] [--slow=200] [--properties=10]
 * [--kill-every=S] [--lock-every=S] [--fill-every=S] [--seed=N]}: the kill, lock and fill intervals
 * default to 50, 70 and 110 s for runs of up to 5 minutes and to 300, 420 and 600 s for longer
 * ones, the seed to 1, {@code --jar} to {@code app/target/paritysync.jar}. Loopback only.
 *
 * <p>An entry point, not a library: only {@link #main} is public, and nothing it builds escapes it,
 * so callers have no thread-safety to consider.
 */
public final class ChaosSoak {
  static final Clock CLOCK = Clock.system();

  private ChaosSoak() {}

  /** Runs the soak with the arguments above; exits 0 when every check holds, 1 otherwise. */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = options(args);
    Path jar = Path.of(a.getOrDefault("jar", "app/target/paritysync.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("--jar: no such file " + jar);
    }
    int minutes = Integer.parseInt(a.getOrDefault("minutes", "3"));
    boolean shortRun = minutes <= 5;
    Chaos.Plan plan =
        new Chaos.Plan(
            Duration.ofMinutes(minutes),
            Duration.ofSeconds(
                Long.parseLong(a.getOrDefault("kill-every", shortRun ? "50" : "300"))),
            Duration.ofSeconds(
                Long.parseLong(a.getOrDefault("lock-every", shortRun ? "70" : "420"))),
            Duration.ofSeconds(
                Long.parseLong(a.getOrDefault("fill-every", shortRun ? "110" : "600"))),
            new SplittableRandom(Long.parseLong(a.getOrDefault("seed", "1"))));
    int clients = Integer.parseInt(a.getOrDefault("clients", "8"));
    int slow = Integer.parseInt(a.getOrDefault("slow", "200"));
    int properties = Integer.parseInt(a.getOrDefault("properties", "10"));

    Path work = Files.createTempDirectory("paritysync-chaos");
    Faults faults = Faults.prepare(work);
    ServeProcess[] started = new ServeProcess[1];
    int status = 1;
    try (SimChannel sim = SimChannel.start(SimConfig.flaky(plan.seedOf()), CLOCK)) {
      Path db = faults.dir().resolve("chaos.db");
      Path config = work.resolve("paritysync.yaml");
      Files.writeString(config, config(sim, db, properties, freePort()));
      ServeProcess serve =
          new ServeProcess(jar, config, work, List.of("-Xmx256m"), Map.of("CHAOS_KEY", "k"));
      started[0] = serve;
      serve.start();
      printHeader(minutes, clients, slow, properties, plan, faults);
      LocalDate first = LocalDate.ofInstant(CLOCK.instant(), ZoneOffset.UTC).plusDays(2);
      Load load = new Load(serve, properties, first, Duration.ofMillis(100));
      Hostile hostile = new Hostile(serve);
      Probe probe = new Probe(serve);
      Chaos chaos = new Chaos(serve, faults, db, probe, plan);
      probe.start();
      load.start(clients);
      hostile.start(slow);
      List<String> events = chaos.run();
      hostile.stop();
      load.stop(Duration.ofMinutes(2));
      Parity parity = new Parity(db);
      Duration settled = settle(parity, Duration.ofMinutes(5));
      probe.stop();
      int exit = serve.stop();
      boolean ok =
          new Verdict(load, hostile, probe, parity, sim, events, settled, exit, load.cells())
              .print();
      status = ok ? 0 : 1;
    } catch (Exception | Error e) {
      System.out.println("FAILED: the soak itself failed; server logs in " + work);
      e.printStackTrace(System.out);
    } finally {
      if (started[0] != null && started[0].alive()) {
        started[0].kill();
      }
      faults.close(); // after the server is gone, so the tmpfs is not busy
    }
    System.exit(status);
  }

  /** The command line's {@code --name=value} options, by name. */
  private static Map<String, String> options(String[] args) {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("expected --name=value, got " + arg);
      }
      a.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    return a;
  }

  /** The report's title and what the run does. */
  private static void printHeader(
      int minutes, int clients, int slow, int properties, Chaos.Plan plan, Faults faults) {
    System.out.printf(
        Locale.ROOT,
        "### Chaos soak (`paritysync serve`, SQLite, synchronous=FULL, -Xmx256m)%n%n"
            + "%d min; %d PMS clients (one change of 7 nights each, retried with its key until"
            + " 202), %d slowloris connections and one malformed request a second; channel:"
            + " simulator preset flaky (500/502/503/504/429/reset/slow ≈ 30 %%, quotas 20/1s"
            + " and 600/1m per property, the same in the engine), %d properties; SIGKILL every"
            + " ~%d s, write lock held by another program every ~%d s, disk full every ~%d s%s"
            + "%n%n",
        minutes,
        clients,
        slow,
        properties,
        plan.killEvery().toSeconds(),
        plan.lockEvery().toSeconds(),
        plan.fillEvery().toSeconds(),
        faults.canFillDisk()
            ? " (database on a tmpfs)"
            : " — SKIPPED: no tmpfs could be mounted here (needs root), so no disk-full"
                + " episode");
  }

  /**
   * Waits until every cell is acknowledged and no queue item is open; returns how long it took, or
   * null when it did not settle within {@code timeout}.
   */
  private static @Nullable Duration settle(Parity parity, Duration timeout) throws Exception {
    long start = CLOCK.nanoTime();
    while (CLOCK.nanoTime() - start < timeout.toNanos()) {
      if (parity.unsettled() == 0) {
        return Duration.ofNanos(CLOCK.nanoTime() - start);
      }
      Waits.pause(Duration.ofSeconds(1));
    }
    return null;
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String config(SimChannel sim, Path db, int properties, int port) {
    StringBuilder b =
        new StringBuilder("database: {url: \"jdbc:sqlite:").append(db).append("\"}\n");
    b.append("portfolio:\n  properties:\n");
    for (int p = 1; p <= properties; p++) {
      b.append("    P")
          .append(p)
          .append(": {timezone: UTC, rooms: {DBL: {ratePlans: {BAR: EUR}}, SGL: {ratePlans: {BAR:")
          .append(" EUR}}}}\n");
    }
    b.append("channels:\n  a:\n    adapter: native\n    baseUrl: ")
        .append(sim.baseUri())
        .append("/\n    credentials: {apiKey: {header: X-Api-Key, value: \"${env:CHAOS_KEY}\"}}\n")
        .append("    mapping: {rooms: {DBL: DBL, SGL: SGL}, ratePlans: {BAR: BAR}}\n")
        .append("    resilience: {quotas: {ari: [\"20/1s\", \"600/1m\"]}}\n");
    b.append("server: {port: ").append(port).append(", drain: 2s, shutdownDeadline: 5s}\n");
    return b.toString();
  }

  /** GETs {@code uri} with a short timeout; the status, or -1 when nothing came back. */
  static int get(HttpClient http, java.net.URI uri, Duration timeout) {
    try {
      return http.send(
              HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (java.io.IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
