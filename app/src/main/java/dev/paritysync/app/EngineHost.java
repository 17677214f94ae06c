package dev.paritysync.app;

import dev.paritysync.app.config.EngineFileConfig;
import dev.paritysync.app.config.PollingConfig;
import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.retry.ChannelPolicy;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.hotel.poll.ReservationPoller;
import dev.paritysync.hotel.reconcile.ReconcileSchedule;
import dev.paritysync.hotel.reconcile.Reconciler;
import dev.paritysync.hotel.reconcile.ResumeVerifier;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The hotel engine as {@code paritysync run} and {@code paritysync serve} host it: the store, the
 * transport, a draining scheduler, the engine, its reconciler (verify before resume, the
 * reconciliation timetable) and the reservation pollers of the configuration.
 *
 * <p>{@link #close()} closes in reverse order of opening: pollers and timetable stop, the engine
 * stops its loops, the scheduler waits (up to the drain given) for the runs in progress, and only
 * then go the transport and the database they use. Not thread-safe: one command owns it.
 */
final class EngineHost implements AutoCloseable {
  private final EngineFileConfig cfg;
  private final Map<String, PollingConfig> polling;
  private final Clock clock;
  private final PrintStream out;
  private final Database db;
  private final Transport transport;
  private final DrainingScheduler scheduler;
  private final HotelEngine engine;
  private final Reconciler reconciler;
  private final List<ReservationPoller> pollers = new ArrayList<>();
  private ReconcileSchedule schedule;

  private EngineHost(
      EngineFileConfig cfg,
      Map<String, PollingConfig> polling,
      Clock clock,
      PrintStream out,
      Database db,
      Transport transport,
      DrainingScheduler scheduler,
      HotelEngine engine) {
    this.cfg = cfg;
    this.polling = polling;
    this.clock = clock;
    this.out = out;
    this.db = db;
    this.transport = transport;
    this.scheduler = scheduler;
    this.engine = engine;
    this.reconciler = reconciler(cfg, engine, db, clock);
  }

  /**
   * Opens the store (hotel migrations and {@code migrations}), transport, scheduler (a thread per
   * channel and poller, plus {@code extraThreads}, draining for up to {@code drain}) and the engine
   * ({@code customize} may add builder options); nothing runs until {@link #start()}.
   *
   * @throws IllegalArgumentException for a bad {@code reservations} block, before anything opens
   */
  static EngineHost open(
      EngineFileConfig cfg,
      Clock clock,
      Duration drain,
      int extraThreads,
      List<String> migrations,
      Consumer<HotelEngine.Builder> customize,
      PrintStream out) {
    Map<String, PollingConfig> polling = PollingConfig.parseAll(cfg.channels());
    DatabaseConfig.Builder dbConfig =
        DatabaseConfig.builder()
            .withUrl(cfg.databaseUrl())
            .withMigrations("classpath:db/migration/hotel");
    migrations.forEach(dbConfig::withMigrations);
    Database db = Database.open(dbConfig.build());
    Transport transport = null;
    DrainingScheduler scheduler = null;
    try {
      transport = Transport.builder().withClock(clock).build();
      scheduler =
          new DrainingScheduler(cfg.channels().size() + polling.size() + extraThreads, drain);
      HotelEngine.Builder b =
          HotelEngine.builder()
              .withDatabase(db)
              .withClock(clock)
              .withScheduler(scheduler)
              .withTransport(transport)
              .withPortfolio(cfg.portfolio())
              .withChannels(cfg.channels())
              .withTick(cfg.tick())
              .withLease(cfg.lease())
              .withOwner(cfg.owner())
              .withSeed(cfg.seed());
      customize.accept(b);
      return new EngineHost(cfg, polling, clock, out, db, transport, scheduler, b.build());
    } catch (RuntimeException e) {
      if (scheduler != null) {
        scheduler.close();
      }
      if (transport != null) {
        transport.close();
      }
      db.close();
      throw e;
    }
  }

  /**
   * Installs verify before resume, starts the engine's loops, the reconciliation timetable (when
   * configured) and the pollers.
   */
  void start() {
    ResumeVerifier.install(
        engine,
        reconciler,
        cfg.reconciliation().verifyAfterOpen(),
        report -> printReport(out, report, " (verify before resume)"));
    engine.start();
    schedule = reconcileSchedule(cfg, reconciler, clock, scheduler, out);
    pollers.addAll(startPollers(cfg, polling, engine, db, transport, scheduler, out));
  }

  Database db() {
    return db;
  }

  HotelEngine engine() {
    return engine;
  }

  Scheduler scheduler() {
    return scheduler;
  }

  @Override
  public void close() {
    pollers.forEach(ReservationPoller::close);
    if (schedule != null) {
      schedule.close();
    }
    try {
      engine.close();
    } finally {
      try {
        scheduler.close();
      } finally {
        try {
          transport.close();
        } finally {
          db.close();
        }
      }
    }
  }

  /**
   * A started reservation poller for each channel of {@code polling}: the channel's base URL,
   * mapping, resilience policy and credentials (an OAuth2 channel's polls carry its token), its
   * interval seeded from {@code engine.seed}. Each poll that brings new reservations prints one
   * line.
   */
  private static List<ReservationPoller> startPollers(
      EngineFileConfig cfg,
      Map<String, PollingConfig> polling,
      HotelEngine engine,
      Database db,
      Transport transport,
      Scheduler scheduler,
      PrintStream out) {
    List<ReservationPoller> pollers = new ArrayList<>();
    for (PollingConfig p : polling.values()) {
      ChannelConfig c = cfg.channels().get(p.channel());
      ReservationPoller poller =
          ReservationPoller.builder()
              .withDatabase(db)
              .withScheduler(scheduler)
              .withTransport(transport)
              .withChannel(c.name(), c.baseUrl())
              .withMapping(c.mapping())
              .withIngest(engine.ingest())
              .withPolicy(
                  ChannelPolicy.fromConfig(
                      c.name(),
                      new ConfigMap("channels." + c.name() + ".resilience", c.resilience())))
              .withCredentials(c.credentials())
              .withInterval(p.interval(cfg.seed()))
              .withSeed(cfg.seed())
              .onPoll(
                  poll -> {
                    if (poll.fresh() > 0) {
                      synchronized (out) {
                        out.println(
                            "reservations "
                                + c.name()
                                + " received="
                                + poll.received()
                                + " new="
                                + poll.fresh()
                                + " acknowledged="
                                + poll.acknowledged());
                        out.flush();
                      }
                    }
                  })
              .build();
      poller.start();
      pollers.add(poller);
    }
    return pollers;
  }

  /** The reconciler of the configured thresholds. */
  private static Reconciler reconciler(
      EngineFileConfig cfg, HotelEngine engine, Database db, Clock clock) {
    Reconciler.Builder b =
        Reconciler.builder()
            .withEngine(engine)
            .withDatabase(db)
            .withClock(clock)
            .withThresholds(cfg.reconciliation().defaults());
    cfg.reconciliation().channels().forEach(b::withThresholds);
    return b.build();
  }

  static void printReport(
      PrintStream out, dev.paritysync.hotel.reconcile.ReconciliationReport report, String why) {
    synchronized (out) {
      out.println(
          "reconciled "
              + report.id()
              + " "
              + report.from()
              + ".."
              + report.to()
              + " status="
              + report.status()
              + why);
      out.flush();
    }
  }

  /**
   * The reconciliation timetable of {@code reconciliation.schedule}, started; null when the
   * configuration has none. Each scan prints one line.
   */
  private static ReconcileSchedule reconcileSchedule(
      EngineFileConfig cfg,
      Reconciler reconciler,
      Clock clock,
      Scheduler scheduler,
      PrintStream out) {
    if (cfg.reconciliation().schedule().isEmpty()) {
      return null;
    }
    List<String> properties = new ArrayList<>();
    cfg.portfolio().properties().forEach(p -> properties.add(p.code()));
    ReconcileSchedule schedule =
        new ReconcileSchedule(
            reconciler,
            properties,
            cfg.reconciliation().schedule().get(),
            clock,
            scheduler,
            report -> printReport(out, report, ""));
    schedule.start();
    return schedule;
  }
}
