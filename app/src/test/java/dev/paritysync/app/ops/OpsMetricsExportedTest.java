package dev.paritysync.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.app.testing.ChildJvm;
import dev.paritysync.core.time.Clock;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.sim.SimDsp;
import dev.paritysync.sim.SimDspConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric the alerts and the dashboard query is one paritysync exports: a child JVM serves,
 * delivers to a sim channel over loopback (one answer in four a 503, a quota of 2 requests a
 * second, so retries, retry delays and quota waits happen), and its {@code /metrics} is scraped
 * until every name is there; the royalty ones ({@value #ROYALTY}*) are in the {@code
 * --metrics-file} of a real {@code royalty ingest} (a file with valid and invalid rows) and {@code
 * royalty pull} (from a simulated DSP), each in a child JVM.
 */
class OpsMetricsExportedTest {
  /** Made by Prometheus for each target, not by the service. */
  private static final Set<String> PROMETHEUS_OWN = Set.of("up");

  /** The one-shot royalty commands' metrics: in their --metrics-file, not on serve's /metrics. */
  static final String ROYALTY = "paritysync_royalty_";

  private static final Pattern SERVING = Pattern.compile("^serving (http://\\S+)");
  private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void serveExportsEveryMetricTheAlertsAndTheDashboardQuery() throws Exception {
    Map<String, Set<String>> wanted = wanted();
    wanted.keySet().removeIf(m -> m.startsWith(ROYALTY));
    assertThat(wanted).as("metrics queried").hasSizeGreaterThan(10);

    Clock clock = Clock.system();
    SimConfig flaky = SimConfig.newBuilder().withSeed(19).withP503(0.25).build();
    try (SimChannel sim = SimChannel.start(flaky, clock)) {
      Path config = config(sim.baseUri());
      AtomicReference<URI> base = new AtomicReference<>();
      ChildJvm serve =
          ChildJvm.start(
              List.of("serve", "--config", config.toString(), "--port", "0"),
              Map.of(),
              dir.resolve("serve.log"),
              line -> {
                Matcher m = SERVING.matcher(line);
                if (m.find()) {
                  base.set(URI.create(m.group(1)));
                }
              });
      try {
        serve.await("serving", Duration.ofSeconds(60), () -> base.get() != null);
        LocalDate night = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(2);
        Set<String> exported = Set.of();
        long deadline = clock.nanoTime() + WAIT.toNanos();
        for (int i = 0; ; i++) {
          assertThat(post(base.get(), i, night.plusDays(i % 300)))
              .as("POST /v1/changes; serve stderr: %s", serve.tail())
              .isEqualTo(202);
          if (i % 10 == 9) {
            exported = names(get(base.get().resolve("/metrics")));
            if (exported.containsAll(wanted.keySet()) || clock.nanoTime() > deadline) {
              break;
            }
          }
          TimeUnit.MILLISECONDS.sleep(50);
        }
        Map<String, Set<String>> missing = new TreeMap<>(wanted);
        missing.keySet().removeAll(exported);
        assertThat(missing)
            .as("metrics queried in ops/ that serve does not export (it exports %s)", exported)
            .isEmpty();
      } finally {
        serve.process.destroy(); // SIGTERM: drains and exits 0
        if (!serve.process.waitFor(60, TimeUnit.SECONDS)) {
          serve.process.destroyForcibly();
        }
      }
      assertThat(serve.process.exitValue()).as(serve.tail()).isZero();
    }
  }

  /** Every metric the alerts, the dashboard's panels and its variables query, and where. */
  private static Map<String, Set<String>> wanted() {
    TreeMap<String, Set<String>> wanted = new TreeMap<>(); // metric -> where it is queried
    for (OpsFiles.Alert a : OpsFiles.alerts()) {
      PromQl.metricNames(a.expr()).forEach(m -> where(wanted, m, "alert " + a.name()));
    }
    for (OpsFiles.Query q : OpsFiles.dashboardQueries()) {
      PromQl.metricNames(q.expr()).forEach(m -> where(wanted, m, "panel " + q.panel()));
    }
    for (String v : OpsFiles.variableQueries()) {
      Matcher m = Pattern.compile("label_values\\((\\w+),").matcher(v);
      assertThat(m.find()).as(v).isTrue();
      where(wanted, m.group(1), "variable " + v);
    }
    PROMETHEUS_OWN.forEach(wanted::remove);
    return wanted;
  }

  @Test
  void royaltyCommandsWriteEveryRoyaltyMetricTheAlertsAndTheDashboardQuery() throws Exception {
    Map<String, Set<String>> wanted = wanted();
    wanted.keySet().removeIf(m -> !m.startsWith(ROYALTY));
    assertThat(wanted).as("royalty metrics queried").hasSizeGreaterThan(4);

    Path csv =
        Files.writeString(
            dir.resolve("sales.csv"),
            "Sale Month,Store,Artist,Title,ISRC,UPC,Quantity,Country of Sale,Earnings (USD)\n"
                + "2024-03,S,A,T,USSM19803037,,1,US,0.10\n"
                + "2024-03,S,A,T,BAD,,1,US,0.10\n");
    Path ingest = dir.resolve("royalty-ingest-distributor.prom");
    Path pull = dir.resolve("royalty-pull-simdsp.prom");
    royalty(
        "ingest",
        csv.toString(),
        "--source",
        "distributor",
        "--db",
        dir.resolve("royalty.db").toString(),
        "--lake",
        dir.resolve("lake").toString(),
        "--metrics-file",
        ingest.toString());
    SimDspConfig dspConfig =
        SimDspConfig.newBuilder().withRowsPerReport(120).withInvalidRate(0.1).build();
    try (SimDsp dsp = SimDsp.start(dspConfig, Clock.system())) {
      royalty(
          "pull",
          "--dsp",
          dsp.baseUri().toString(),
          "--source",
          "simdsp",
          "--period",
          "2026-03",
          "--db",
          dir.resolve("pull.db").toString(),
          "--lake",
          dir.resolve("lake").toString(),
          "--metrics-file",
          pull.toString());
    }

    Set<String> written = new TreeSet<>();
    for (Path file : List.of(ingest, pull)) {
      written.addAll(names(Files.readString(file)));
      if (Promtool.find() != null) {
        Promtool.Run lint = Promtool.run(dir, file, "check", "metrics");
        assertThat(lint.exit()).as("promtool check metrics < %s: %s", file, lint.output()).isZero();
      }
    }
    Map<String, Set<String>> missing = new TreeMap<>(wanted);
    missing.keySet().removeAll(written);
    assertThat(missing)
        .as("royalty metrics queried in ops/ that no --metrics-file holds (they hold %s)", written)
        .isEmpty();
  }

  /** Runs {@code paritysync royalty <args>} in a child JVM; it must exit 0 within two minutes. */
  private void royalty(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("royalty"));
    all.addAll(List.of(args));
    Path log = dir.resolve(args[0] + ".log");
    ChildJvm child = ChildJvm.start(all, Map.of(), log, line -> {});
    try {
      assertThat(child.process.waitFor(120, TimeUnit.SECONDS))
          .as("royalty %s finished; stderr: %s", args[0], child.tail())
          .isTrue();
    } finally {
      child.process.destroyForcibly();
    }
    assertThat(child.process.exitValue())
        .as("royalty %s; stderr: %s", args[0], child.tail())
        .isZero();
  }

  private static void where(Map<String, Set<String>> wanted, String metric, String place) {
    wanted.computeIfAbsent(metric, k -> new TreeSet<>()).add(place);
  }

  /** The names of every sample in a Prometheus text scrape. */
  private static Set<String> names(String scrape) {
    Set<String> out = new TreeSet<>();
    Matcher m = SAMPLE.matcher(scrape);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** A serve configuration for one channel on {@code sim}: quick retries, a tight quota. */
  private Path config(URI sim) throws Exception {
    Path key = Files.writeString(dir.resolve("key"), "k");
    Path config = dir.resolve("paritysync.yaml");
    Files.writeString(
        config,
        "database: {url: \"jdbc:sqlite:"
            + dir.resolve("serve.db")
            + "\"}\n"
            + "portfolio:\n  properties:\n"
            + "    P1: {timezone: UTC, rooms: {DBL: {ratePlans: {BAR: EUR}}}}\n"
            + "channels:\n  a:\n    adapter: native\n    baseUrl: "
            + sim
            + "/\n    credentials: {apiKey: {header: X-Api-Key, value: \"${file:"
            + key
            + "}\"}}\n"
            + "    mapping: {rooms: {DBL: D1}, ratePlans: {BAR: R1}}\n"
            + "    resilience:\n"
            + "      backoff: {base: 50ms, cap: 200ms}\n"
            + "      retryBudget: {ratio: 0.01, minRetries: 1}\n"
            + "      quotas: {ari: [\"2/1s\"]}\n"
            + "server: {port: 0, drain: 2s, shutdownDeadline: 5s}\n");
    return config;
  }

  private int post(URI base, int i, LocalDate night) throws Exception {
    String body =
        "{\"changes\":[{\"property\":\"P1\",\"roomType\":\"DBL\",\"ratePlan\":\"BAR\",\"from\":\""
            + night
            + "\",\"to\":\""
            + night
            + "\",\"rate\":{\"amount\":\""
            + (100 + i % 50)
            + ".00\",\"currency\":\"EUR\"}}]}";
    return http.send(
            HttpRequest.newBuilder(base.resolve("/v1/changes"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "\"ops-" + i + "\"")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private String get(URI uri) throws Exception {
    HttpResponse<String> r =
        http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s", uri).isEqualTo(200);
    return r.body();
  }
}
