package dev.paritysync.app.demo;

import dev.paritysync.core.http.Transport;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.core.time.SystemScheduler;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Portfolio;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.channel.UnmappedReport;
import dev.paritysync.hotel.engine.Accepted;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * {@code paritysync demo}: the hotel engine end to end on the embedded default. Starts three
 * simulated channels on loopback — healthy; flaky (5xx, 429s, resets, slow answers, OAuth2 tokens
 * that expire); one with a 30-second outage, a rate floor and two cells it reports in conflict —
 * loads a portfolio (5 properties × 8 room types × 3 rate plans × 365 days) into a fresh SQLite
 * file, plays a revenue manager's day of changes through the real ingest, shows progress per
 * channel, and ends with a parity report that compares what each simulator holds with the truth.
 * Exit code 0 when every cell not in a queue is at parity and nothing was applied twice.
 *
 * <p>Defaults: a 365-day portfolio, every channel speaking the {@code native} dialect, a temporary
 * database deleted at the end. Not thread-safe: build it, then {@link #run} it once on one thread.
 */
public final class EngineDemo {
  static final String[] ROOMS = {"STD", "DBL", "TWN", "KNG", "QUE", "STE", "FAM", "ACC"};
  static final String[] PLANS = {"BAR", "NRF", "BB"};
  static final int PROPERTIES = 5;
  static final int DAYS = 365;

  /**
   * The fewest days of a portfolio: the day's changes and the drift reconciliation makes touch the
   * first 46.
   */
  static final int MIN_DAYS = 50;

  /** The days of {@code demo --quick}'s portfolio. */
  public static final int QUICK_DAYS = 60;

  static final BigDecimal FLOOR = new BigDecimal("40.00");
  static final Duration SETTLE_LIMIT = Duration.ofMinutes(5);
  static final String NATIVE = "native";
  static final String CLOUDBEDS = "cloudbeds";
  static final String CLOUDBEDS_SECRET = "demo-shared-secret";
  static final List<String> CHANNELS = List.of("healthy", "flaky", "outage");

  private final long seed;
  private final int dayChanges;
  private final Duration dayLength;
  private final Duration outage;
  private final int days;
  private final @Nullable Path keepDatabase;
  private final List<String> adapters;
  private final PrintStream out;
  private Hold hold = (engine, db, clock, portfolio) -> {};

  /** What runs after the report while the engine and simulators still run ({@code demo --ui}). */
  @FunctionalInterface
  public interface Hold {
    /** Holds the demo's running {@code engine} over {@code db} until it may stop. */
    void hold(HotelEngine engine, Database db, Clock clock, Portfolio portfolio)
        throws InterruptedException;
  }

  /**
   * A demo seeded with {@code seed} playing {@code dayChanges} changes over {@code dayLength}, the
   * third channel down for {@code outage}; the database is kept at {@code keepDatabase} (a file
   * path; null for a temporary file deleted at the end).
   */
  EngineDemo(
      long seed,
      int dayChanges,
      Duration dayLength,
      Duration outage,
      @Nullable Path keepDatabase,
      PrintStream out) {
    this(seed, dayChanges, dayLength, outage, keepDatabase, List.of(NATIVE), out);
  }

  /**
   * As {@link #EngineDemo(long, int, Duration, Duration, Path, PrintStream)}, the channels speaking
   * {@code adapters}: one adapter name for all three channels, or three (healthy, flaky, outage);
   * each simulator speaks the matching dialect.
   *
   * @throws IllegalArgumentException for another count, or a name no adapter and simulator dialect
   *     share
   */
  EngineDemo(
      long seed,
      int dayChanges,
      Duration dayLength,
      Duration outage,
      @Nullable Path keepDatabase,
      List<String> adapters,
      PrintStream out) {
    this(seed, dayChanges, dayLength, outage, DAYS, keepDatabase, adapters, out);
  }

  /**
   * As {@link #EngineDemo(long, int, Duration, Duration, Path, List, PrintStream)}, the portfolio
   * {@code days} long instead of {@value #DAYS} ({@code demo --quick}: {@value #QUICK_DAYS}).
   *
   * @throws IllegalArgumentException also when {@code days} is not between {@value #MIN_DAYS} and
   *     {@value #DAYS}
   */
  public EngineDemo(
      long seed,
      int dayChanges,
      Duration dayLength,
      Duration outage,
      int days,
      @Nullable Path keepDatabase,
      List<String> adapters,
      PrintStream out) {
    if (days < MIN_DAYS || days > DAYS) {
      throw new IllegalArgumentException(
          "the demo's portfolio spans " + MIN_DAYS + " to " + DAYS + " days, not " + days);
    }
    if (adapters.size() != 1 && adapters.size() != CHANNELS.size()) {
      throw new IllegalArgumentException(
          "--channels takes one adapter for all channels or three (healthy, flaky, outage), got "
              + String.join(",", adapters));
    }
    for (String a : adapters) {
      if (!SimConfig.DIALECTS.contains(a)) {
        throw new IllegalArgumentException(
            "--channels: unknown adapter '"
                + a
                + "'; the demo's simulators speak "
                + String.join(", ", new TreeSet<>(SimConfig.DIALECTS)));
      }
    }
    if (dayChanges < 1 || dayChanges > 100_000) {
      throw new IllegalArgumentException(
          "--changes must be between 1 and 100000, was " + dayChanges);
    }
    if (dayLength.isNegative() || dayLength.toMillis() < 100) {
      throw new IllegalArgumentException("--day must be at least 100ms, was " + dayLength);
    }
    if (outage.isNegative() || outage.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("--outage must be between 0s and 10m, was " + outage);
    }
    this.seed = seed;
    this.dayChanges = dayChanges;
    this.dayLength = dayLength;
    this.outage = outage;
    this.days = days;
    this.keepDatabase = keepDatabase;
    this.adapters =
        adapters.size() == 1
            ? Collections.nCopies(CHANNELS.size(), adapters.get(0))
            : List.copyOf(adapters);
    this.out = Objects.requireNonNull(out, "out");
  }

  /** Runs {@code hold} after the report, before the engine, simulators and database stop. */
  public EngineDemo holdingAfterReport(Hold hold) {
    this.hold = Objects.requireNonNull(hold, "hold");
    return this;
  }

  /** Runs the demo; returns the process exit code. */
  public int run() throws IOException, InterruptedException {
    Clock clock = Clock.system();
    // The demo's first night is tomorrow (UTC): a run that crosses midnight would otherwise send
    // nights that became the past meanwhile, and the ingest rightly refuses those.
    LocalDate firstNight = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(1);
    Portfolio portfolio = DemoPortfolio.portfolio();
    Path tmp = null;
    Path dbFile = keepDatabase;
    if (dbFile == null) {
      tmp = Files.createTempDirectory("paritysync-demo");
      dbFile = tmp.resolve("paritysync.db");
    } else if (Files.exists(dbFile)) {
      throw new IllegalArgumentException(
          "--db " + dbFile + " exists; the demo starts from an empty database");
    }
    List<SimChannel> sims = new ArrayList<>();
    try (SystemScheduler scheduler = Scheduler.system(6);
        Transport transport =
            Transport.builder().withClock(clock).withRequestTimeout(Duration.ofSeconds(2)).build();
        Database db =
            Database.open(
                DatabaseConfig.builder()
                    .withSqliteFile(dbFile)
                    .withMigrations("classpath:db/migration/hotel")
                    .build())) {
      Map<String, SimChannel> channels = startChannels(sims, clock, firstNight);
      Map<String, ChannelConfig> configs = setup().configs(channels);
      HotelEngine engine =
          HotelEngine.builder()
              .withDatabase(db)
              .withClock(clock)
              .withScheduler(scheduler)
              .withTransport(transport)
              .withPortfolio(portfolio)
              .withChannels(configs)
              .withOwner("demo")
              .withSeed(seed)
              .build();

      printIntro(channels, dbFile);

      long t0 = clock.nanoTime();
      engine.start();
      DemoProgress progress = new DemoProgress(engine, clock, scheduler, t0, out);
      try {
        int code =
            playAndReport(engine, db, configs, channels, firstNight, progress, clock, scheduler);
        hold.hold(engine, db, clock, portfolio);
        return code;
      } finally {
        engine.close();
      }
    } finally {
      for (SimChannel sim : sims) {
        sim.close();
      }
      if (tmp != null) {
        deleteTree(tmp);
      }
    }
  }

  /** The three simulated channels: healthy, flaky (OAuth2 when its dialect allows), outage. */
  private Map<String, SimChannel> startChannels(
      List<SimChannel> sims, Clock clock, LocalDate firstNight) {
    Map<String, SimChannel> channels = new LinkedHashMap<>();
    channels.put(
        "healthy", start(sims, SimConfig.healthy(seed).toBuilder().build(), "healthy", clock));
    SimConfig.Builder flaky = SimConfig.flaky(seed + 1).toBuilder();
    if (setup().oauth("flaky")) {
      flaky.withOAuth("paritysync-demo", "demo-secret", Duration.ofSeconds(20));
    }
    channels.put("flaky", start(sims, flaky.build(), "flaky", clock));
    SimConfig.Builder down = SimConfig.healthy(seed + 2).toBuilder().withRateFloor(FLOOR);
    // two cells this channel holds differently on purpose: the batches carrying them get 409
    down.withConflictCell("H2/D-STE/BAR/" + firstNight.plusDays(200L * days / DAYS));
    down.withConflictCell("H4/D-FAM/NRF/" + firstNight.plusDays(90L * days / DAYS));
    channels.put("outage", start(sims, down.build(), "outage", clock));
    return channels;
  }

  private void printIntro(Map<String, SimChannel> channels, Path dbFile) {
    out.printf(
        "paritysync demo: %d properties × %d room types × %d rate plans × %d days, three"
            + " simulated channels on loopback%n",
        PROPERTIES, ROOMS.length, PLANS.length, days);
    out.printf("  database  %s (SQLite, WAL)%n", dbFile);
    out.printf(
        "  healthy   %s  %s%n",
        DemoChannels.named(channels, "healthy").baseUri(), setup().adapter("healthy"));
    out.printf(
        "  flaky     %s  %s; 5xx, 429s, resets, slow answers%s%n",
        DemoChannels.named(channels, "flaky").baseUri(),
        setup().adapter("flaky"),
        setup().oauth("flaky") ? "; OAuth2 tokens live 20 s" : "");
    out.printf(
        "  outage    %s  %s; down for %s when the day starts; rates under %s rejected; 2 cells"
            + " in conflict; does not sell rate plan BB%n",
        DemoChannels.named(channels, "outage").baseUri(),
        setup().adapter("outage"),
        seconds(outage),
        FLOOR);
    out.println();
  }

  /**
   * Loads the portfolio, plays the day (the outage channel down as it starts), waits for every
   * channel to settle and prints the parity report and the reconciliation; returns the exit code.
   */
  private int playAndReport(
      HotelEngine engine,
      Database db,
      Map<String, ChannelConfig> configs,
      Map<String, SimChannel> channels,
      LocalDate firstNight,
      DemoProgress progress,
      Clock clock,
      SystemScheduler scheduler)
      throws IOException, InterruptedException {
    loadPortfolio(engine, firstNight, progress);
    // The third channel goes down as the day starts, while the changes pour in.
    SimChannel third = DemoChannels.named(channels, "outage");
    long dayStart = clock.nanoTime();
    if (!outage.isZero()) {
      third.setOutage(true);
      out.printf(
          "[%s] outage: channel outage is down for %s%n", progress.elapsed(), seconds(outage));
      scheduler.schedule(
          outage,
          () -> {
            third.setOutage(false);
            out.printf("[%s] outage: channel outage is back%n", progress.elapsed());
          });
    }
    playDay(engine, firstNight, progress, clock, scheduler);
    out.printf(
        "[%s] the day's %,d changes are in; waiting for every channel to settle%n",
        progress.elapsed(), dayChanges);
    boolean settled = progress.awaitSettled(dayStart + outage.toNanos(), SETTLE_LIMIT);
    progress.print();
    out.println();
    int code = ParityReport.print(out, engine, db, configs, channels, firstNight, clock);
    if (!settled) {
      out.printf("not settled after %s: cells are still pending or in flight%n", SETTLE_LIMIT);
      code = 1;
    }
    out.println();
    code =
        Math.max(
            code,
            DemoReconciliation.run(
                engine,
                db,
                configs,
                channels,
                firstNight,
                days,
                clock,
                progress,
                keepDatabase,
                out));
    return code;
  }

  private SimChannel start(List<SimChannel> sims, SimConfig config, String channel, Clock clock) {
    String dialect = adapters.get(CHANNELS.indexOf(channel));
    SimConfig.Builder b = config.toBuilder().withDialect(dialect);
    if (dialect.equals(CLOUDBEDS)) {
      b.withSharedSecret(CLOUDBEDS_SECRET);
    }
    SimConfig speaking = b.build();
    SimChannel sim = SimChannel.start(speaking, clock);
    sims.add(sim);
    return sim;
  }

  /** The channels' configuration for this demo's seed and adapters. */
  private DemoChannels setup() {
    return new DemoChannels(seed, adapters);
  }

  // ------------------------------------------------------------------ the portfolio and the day

  /** A year of seasonal rates, weekend minimum stays in summer, and ten rooms of each type. */
  private void loadPortfolio(HotelEngine engine, LocalDate firstNight, DemoProgress progress) {
    long cells = 0;
    Map<String, UnmappedReport> unmapped = new TreeMap<>();
    for (int p = 1; p <= PROPERTIES; p++) {
      String property = "H" + p;
      List<Change> rates = new ArrayList<>();
      List<Change> rooms = new ArrayList<>();
      for (int r = 0; r < ROOMS.length; r++) {
        String room = ROOMS[r];
        rooms.add(
            Change.builder(property, room, firstNight, firstNight.plusDays(days - 1))
                .withAvailability(10)
                .build());
        for (int k = 0; k < PLANS.length; k++) {
          // one rate per calendar month: a season
          for (LocalDate from = firstNight; from.isBefore(firstNight.plusDays(days)); ) {
            LocalDate to = from.withDayOfMonth(from.lengthOfMonth());
            if (!to.isBefore(firstNight.plusDays(days))) {
              to = firstNight.plusDays(days - 1);
            }
            int month = from.getMonthValue();
            int base = 90 + 10 * r + (month >= 6 && month <= 9 ? 40 : 0) + p * 3;
            int amount = k == 1 ? base * 9 / 10 : k == 2 ? base + 15 : base;
            rates.add(
                Change.builder(property, room, from, to)
                    .withRatePlan(PLANS[k])
                    .withRate(new Rate(BigDecimal.valueOf(amount).setScale(2), "EUR"))
                    .withRestrictions(
                        Restrictions.none()
                            .withMinLos(month >= 7 && month <= 8 ? 2 : 1)
                            .withMaxLos(28)
                            .withClosed(false))
                    .build());
            from = to.plusDays(1);
          }
        }
      }
      for (List<Change> call : List.of(rates, rooms)) {
        Accepted a = engine.ingest().accept(call);
        cells += a.cells();
        a.unmapped().forEach((ch, rep) -> unmapped.merge(ch, rep, UnmappedReport::plus));
      }
    }
    out.printf("[%s] portfolio loaded: %,d cells accepted%n", progress.elapsed(), cells);
    unmapped.forEach(
        (ch, rep) ->
            out.printf(
                "          %s: cells unmapped, not sent: rooms %s, rate plans %s%n",
                ch, rep.rooms(), rep.ratePlans()));
  }

  /**
   * A revenue manager's day: rate moves over stretches of dates, bookings and cancellations taking
   * availability up and down, minimum stays and closures — many touching the same cells again — and
   * one typo, a rate under the outage channel's floor.
   */
  private void playDay(
      HotelEngine engine,
      LocalDate firstNight,
      DemoProgress progress,
      Clock clock,
      Scheduler scheduler)
      throws InterruptedException {
    SplittableRandom random = new SplittableRandom(seed);
    int perCall = 10;
    int calls = (dayChanges + perCall - 1) / perCall;
    long pauseNanos = dayLength.toNanos() / calls;
    long next = clock.nanoTime();
    int sent = 0;
    for (int call = 0; call < calls; call++) {
      List<Change> changes = new ArrayList<>();
      for (int i = 0; i < perCall && sent < dayChanges; i++, sent++) {
        changes.add(
            sent == dayChanges / 2
                ? DemoPortfolio.typo(firstNight)
                : DemoPortfolio.change(random, firstNight, days));
      }
      engine.ingest().accept(changes);
      progress.maybePrint();
      next += pauseNanos;
      long wait = next - clock.nanoTime();
      if (wait > 0) {
        DemoProgress.pause(
            scheduler, Duration.ofNanos(wait)); // the PMS's pace: a day played in `dayLength`
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
