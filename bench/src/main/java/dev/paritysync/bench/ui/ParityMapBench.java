package dev.paritysync.bench.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.bench.server.ServeProcess;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.core.time.SystemScheduler;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Portfolio;
import dev.paritysync.hotel.ari.Property;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.RatePlan;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.hotel.ari.RoomType;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parity heat map's render time (docs/benchmarks.md, "Parity heat map"): fills a real SQLite
 * file with the demo's portfolio (5 properties × 8 room types × 3 rate plans, 365 nights) on three
 * channels in mixed states — most cells at parity, some pending, batches retrying, dead letters and
 * reconciliation items, one channel that does not map two room types — then starts {@code
 * paritysync serve} on it, logs in to the web UI and times {@code GET /ui/parity} (all channels)
 * over loopback. The baseline, measured in the same run on the same file: the bare read of the rows
 * the map summarises (every channel's cells of the 365 nights joined with truth). Prints both
 * medians, the ratio and the page's size.
 *
 * <p>Usage: {@code bench/parity-map.sh [--runs=N] [--jar=PATH]}, by default 20 runs and {@code
 * app/target/paritysync.jar}.
 *
 * <p>An entry point, not a library: only {@link #main} is public, and nothing it builds escapes it,
 * so callers have no thread-safety to consider.
 */
public final class ParityMapBench {
  static final String[] ROOMS = {"STD", "DBL", "TWN", "KNG", "QUE", "STE", "FAM", "ACC"};
  static final String[] PLANS = {"BAR", "NRF", "BB"};
  static final List<String> CHANNELS = List.of("healthy", "flaky", "outage");
  static final String TOKEN = "parity-map-bench-admin-token";

  private ParityMapBench() {}

  /** Times the page with the arguments above and prints both medians and their ratio. */
  public static void main(String[] args) throws Exception {
    int runs = 20;
    String jar = "app/target/paritysync.jar";
    for (String a : args) {
      if (a.startsWith("--runs=")) {
        runs = Integer.parseInt(a.substring(7));
      } else if (a.startsWith("--jar=")) {
        jar = a.substring(6);
      } else {
        throw new IllegalArgumentException("unknown argument " + a + "; use --runs=N, --jar=PATH");
      }
    }
    Path dir = Files.createTempDirectory("paritysync-parity-map");
    Path file = dir.resolve("engine.db");
    Clock clock = Clock.system();
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    long fillStart = clock.nanoTime();
    fill(file, clock, today);
    System.out.printf("filled %s in %.1f s%n", file, (clock.nanoTime() - fillStart) / 1e9);

    Path config = dir.resolve("paritysync.yaml");
    Files.writeString(config, yaml(file));
    ServeProcess serve =
        new ServeProcess(
            Path.of(jar), config, dir, List.of("-Xmx512m"), Map.of("K", "k", "ADMIN", TOKEN));
    serve.start();
    try {
      URI base = serve.base();
      HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
      String cookie = logIn(http, base);
      HttpRequest page =
          HttpRequest.newBuilder(base.resolve("/ui/parity")).header("Cookie", cookie).build();
      Database db = Database.open(DatabaseConfig.builder().withSqliteFile(file).build());
      try {
        int bytes = 0;
        for (int i = 0; i < 5; i++) { // warm-up: JIT, caches
          bytes = render(http, page).length();
          rows(db, today);
        }
        long[] render = new long[runs];
        long[] baseline = new long[runs];
        long cells = 0;
        for (int i = 0; i < runs; i++) {
          long t = clock.nanoTime();
          cells = rows(db, today);
          baseline[i] = clock.nanoTime() - t;
          t = clock.nanoTime();
          render(http, page);
          render[i] = clock.nanoTime() - t;
        }
        double r = median(render) / 1e6;
        double b = median(baseline) / 1e6;
        System.out.printf(
            "GET /ui/parity (3 channels × 5 properties × 365 nights, %,d cells): median %.0f ms"
                + " (max %.0f ms) over %d runs, %,d bytes%n",
            cells, r, Arrays.stream(render).max().orElse(0) / 1e6, runs, bytes);
        System.out.printf("baseline, the bare read of those cells' rows: median %.0f ms%n", b);
        System.out.printf("ratio render / baseline: %.2f%n", r / b);
        System.out.println(r < 1000 ? "under 1 s: yes" : "under 1 s: NO");
      } finally {
        db.close();
      }
    } finally {
      serve.stop();
      try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }

  private static String render(HttpClient http, HttpRequest page) throws Exception {
    HttpResponse<String> r = http.send(page, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200 || !r.body().contains("data-state=\"at-parity\"")) {
      throw new IllegalStateException("GET /ui/parity answered " + r.statusCode());
    }
    return r.body();
  }

  /** The baseline: every channel's cells of the nights joined with truth, read row by row. */
  private static long rows(Database db, LocalDate today) {
    return db.read(
        c -> {
          long n = 0;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT o.channel, o.property, o.room_type, o.rate_plan, o.date,"
                      + " o.pending_version, o.inflight_version, o.acked_version, t.version"
                      + " FROM ari_outbox o JOIN ari_truth t ON t.property = o.property"
                      + " AND t.room_type = o.room_type AND t.rate_plan = o.rate_plan"
                      + " AND t.date = o.date WHERE o.date BETWEEN ? AND ?")) {
            ps.setString(1, today.toString());
            ps.setString(2, today.plusDays(364).toString());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                rs.getString(1);
                rs.getString(2);
                rs.getString(3);
                rs.getString(4);
                rs.getString(5);
                rs.getLong(6);
                rs.getLong(7);
                rs.getLong(8);
                rs.getLong(9);
                n++;
              }
            }
          }
          return n;
        });
  }

  private static String logIn(HttpClient http, URI base) throws Exception {
    HttpResponse<String> form =
        http.send(
            HttpRequest.newBuilder(base.resolve("/ui/login")).build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(form.body());
    if (!m.find()) {
      throw new IllegalStateException("no login form at /ui/login: " + form.statusCode());
    }
    String loginCookie = cookie(form, "paritysync_ui_login");
    HttpResponse<String> in =
        http.send(
            HttpRequest.newBuilder(base.resolve("/ui/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", loginCookie)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "csrf="
                            + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8)
                            + "&token="
                            + TOKEN))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return cookie(in, "paritysync_ui");
  }

  private static String cookie(HttpResponse<String> r, String name) {
    return r.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith(name + "="))
        .map(c -> c.substring(0, c.indexOf(';')))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no cookie " + name + ": " + r.headers()));
  }

  private static double median(long[] values) {
    long[] s = values.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
  }

  static Portfolio portfolio() {
    List<Property> properties = new ArrayList<>();
    for (int p = 1; p <= 5; p++) {
      List<RoomType> rooms = new ArrayList<>();
      for (String room : ROOMS) {
        rooms.add(
            RoomType.of(
                room,
                RatePlan.of("BAR", "EUR"),
                RatePlan.of("NRF", "EUR"),
                RatePlan.of("BB", "EUR")));
      }
      properties.add(Property.of("H" + p, ZoneOffset.UTC, rooms.toArray(RoomType[]::new)));
    }
    return Portfolio.of(properties);
  }

  /** The channels' mapping: {@code outage} does not map FAM and ACC (unmapped cells). */
  private static Map<String, Object> channel(String name) {
    Map<String, Object> channel = new LinkedHashMap<>();
    channel.put("adapter", "native");
    channel.put("baseUrl", "http://127.0.0.1:9/");
    channel.put(
        "credentials", Map.of("apiKey", Map.of("header", "X-Api-Key", "value", "${env:K}")));
    Map<String, String> rooms = new LinkedHashMap<>();
    for (String r : ROOMS) {
      if (!name.equals("outage") || !(r.equals("FAM") || r.equals("ACC"))) {
        rooms.put(r, r);
      }
    }
    Map<String, String> plans = new LinkedHashMap<>();
    for (String p : PLANS) {
      plans.put(p, p);
    }
    channel.put("mapping", Map.of("rooms", rooms, "ratePlans", plans));
    return channel;
  }

  private static String yaml(Path file) throws Exception {
    StringBuilder y = new StringBuilder();
    y.append("database: {url: \"jdbc:sqlite:").append(file).append("\"}\n");
    y.append("portfolio:\n  properties:\n");
    for (int p = 1; p <= 5; p++) {
      y.append("    H").append(p).append(": {timezone: UTC, rooms: {");
      for (int r = 0; r < ROOMS.length; r++) {
        y.append(r == 0 ? "" : ", ")
            .append(ROOMS[r])
            .append(": {ratePlans: {BAR: EUR, NRF: EUR, BB: EUR}}");
      }
      y.append("}}\n");
    }
    y.append("channels:\n");
    ObjectMapper json = new ObjectMapper();
    for (String ch : CHANNELS) {
      y.append("  ")
          .append(ch)
          .append(": ")
          .append(json.writeValueAsString(channel(ch)))
          .append("\n");
    }
    y.append("server: {port: 0, adminToken: \"${env:ADMIN}\"}\n");
    return y.toString();
  }

  /** The portfolio's year on three channels, in mixed states, written by a stepped engine. */
  private static void fill(Path file, Clock clock, LocalDate today) throws Exception {
    Database db =
        Database.open(
            DatabaseConfig.builder()
                .withSqliteFile(file)
                .withMigrations("classpath:db/migration/hotel")
                .build());
    Transport transport = Transport.builder().withClock(clock).build();
    SystemScheduler scheduler = Scheduler.system(1);
    Map<String, ChannelConfig> channels = new LinkedHashMap<>();
    SecretResolver secrets = SecretResolver.fromMap(Map.of("env:K", "k"));
    for (String ch : CHANNELS) {
      channels.put(ch, ChannelConfig.parse(ch, channel(ch), secrets));
    }
    HotelEngine engine =
        HotelEngine.builder()
            .withDatabase(db)
            .withClock(clock)
            .withScheduler(scheduler)
            .withTransport(transport)
            .withPortfolio(portfolio())
            .withChannels(channels)
            .build();
    try {
      for (int p = 1; p <= 5; p++) {
        List<Change> changes = new ArrayList<>();
        for (int r = 0; r < ROOMS.length; r++) {
          changes.add(
              Change.builder("H" + p, ROOMS[r], today, today.plusDays(364))
                  .withAvailability(10)
                  .build());
          for (int k = 0; k < PLANS.length; k++) {
            for (LocalDate from = today; from.isBefore(today.plusDays(365)); ) {
              LocalDate to = from.withDayOfMonth(from.lengthOfMonth());
              to = to.isAfter(today.plusDays(364)) ? today.plusDays(364) : to;
              changes.add(
                  Change.builder("H" + p, ROOMS[r], from, to)
                      .withRatePlan(PLANS[k])
                      .withRate(new Rate(BigDecimal.valueOf(90 + 10 * r + 5 * k + p), "EUR"))
                      .withRestrictions(Restrictions.none().withMinLos(1).withMaxLos(28))
                      .build());
              from = to.plusDays(1);
            }
          }
        }
        engine.ingest().accept(changes);
      }
      // Most cells acknowledged, as a channel that kept up would have them.
      db.inTransaction(
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE ari_outbox SET acked_version = pending_version, pending_version = NULL"
                        + " WHERE (abs(random()) % 100) < 92")) {
              return ps.executeUpdate();
            }
          });
      // flaky and outage batch what is pending and fail to send it (nobody listens): retrying
      engine.step("flaky");
      engine.step("outage");
      park(db, clock);
      // and a few new changes, pending everywhere
      SplittableRandom random = new SplittableRandom(7);
      List<Change> fresh = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        LocalDate from = today.plusDays(random.nextInt(360));
        fresh.add(
            Change.builder("H" + (1 + random.nextInt(5)), ROOMS[random.nextInt(8)], from, from)
                .withRatePlan(PLANS[random.nextInt(3)])
                .withRate(new Rate(new BigDecimal("123.00"), "EUR"))
                .build());
      }
      engine.ingest().accept(fresh);
    } finally {
      engine.close();
      scheduler.close();
      transport.close();
      db.close();
    }
  }

  /**
   * Parks outage's retrying batches as the engine parks them: every third in the reconciliation
   * queue, the others dead letters (the item holds the batch, its cells leave flight).
   */
  @SuppressWarnings("unchecked")
  private static void park(Database db, Clock clock) {
    Queues queues = new Queues(new Ledger(clock), clock);
    ObjectMapper json = new ObjectMapper();
    db.inTransactionRun(
        c -> {
          List<String[]> batches = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT id, payload FROM work_items WHERE queue = 'deliver:outage'");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              batches.add(new String[] {rs.getString(1), rs.getString(2)});
            }
          }
          int i = 0;
          for (String[] b : batches) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE ari_outbox SET inflight_version = NULL, inflight_batch = NULL"
                        + " WHERE channel = 'outage' AND inflight_batch = ?")) {
              ps.setString(1, b[0]);
              ps.executeUpdate();
            }
            try (PreparedStatement ps =
                c.prepareStatement("UPDATE work_items SET state = 'dead' WHERE id = ?")) {
              ps.setString(1, b[0]);
              ps.executeUpdate();
            }
            Map<String, Object> payload;
            try {
              payload = json.readValue(b[1], Map.class);
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            queues.enter(
                c,
                Queues.entry(
                        i++ % 3 == 0 ? QueueItem.Queue.RECONCILIATION : QueueItem.Queue.DEAD_LETTER,
                        "outage",
                        b[0],
                        "bench: parked")
                    .withDetail("batch", payload));
          }
        });
  }
}
