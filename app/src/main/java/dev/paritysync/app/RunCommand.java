package dev.paritysync.app;

import dev.paritysync.app.config.EngineFileConfig;
import dev.paritysync.app.config.PollingConfig;
import dev.paritysync.app.feed.FeedReader;
import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.core.config.Durations;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.retry.ChannelPolicy;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.hotel.engine.ChangesRejected;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.hotel.poll.ReservationPoller;
import dev.paritysync.hotel.reconcile.ReconcileSchedule;
import dev.paritysync.hotel.reconcile.Reconciler;
import dev.paritysync.hotel.reconcile.ResumeVerifier;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code paritysync run}: the hotel engine as a process, until SIGTERM or SIGINT. With {@code
 * --feed} it first bulk-loads changes from an NDJSON file, printing {@code accepted <line>} once
 * each call is durable. Beside the engine it runs verify before resume ({@code
 * reconciliation.verifyAfterOpen}), the reconciliation timetable when configured, and a reservation
 * poller per channel with {@code reservations: {mode: poll}}.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the hotel engine until SIGTERM/SIGINT: ingest, then per channel deliver to parity.",
      "Prints one status line per channel every --status-every; see docs/running.md."
    })
final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(20);

  @Option(names = "--config", required = true, description = "the YAML configuration file")
  Path config;

  @Option(
      names = "--status-every",
      defaultValue = "10s",
      description = "how often to print channel status (default: ${DEFAULT-VALUE}; 0 = off)")
  String statusEvery;

  @Option(names = "--feed", description = "an NDJSON file of changes to ingest first")
  Path feed;

  @Option(
      names = "--from-line",
      defaultValue = "1",
      description = "the first line of --feed to ingest (default: ${DEFAULT-VALUE})")
  long fromLine;

  @Option(
      names = "--feed-batch",
      defaultValue = "100",
      description = "lines of --feed per ingest call (default: ${DEFAULT-VALUE})")
  int feedBatch;

  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    Duration every =
        "0".equals(statusEvery.trim())
            ? Duration.ZERO
            : Durations.parse("--status-every", statusEvery);
    EngineFileConfig cfg = EngineFileConfig.load(config, SecretResolver.system());
    Map<String, PollingConfig> polling = PollingConfig.parseAll(cfg.channels());
    FeedReader reader = feed == null ? null : FeedReader.open(feed, fromLine, feedBatch);
    PrintStream out = System.out;
    Thread hook = new Thread(this::onSignal, "paritysync-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Clock clock = Clock.system();
    // Closed in reverse: the engine stops its loops, the scheduler waits for the runs in progress,
    // and only then go the transport and the database they use.
    try (Database db =
            Database.open(
                DatabaseConfig.builder()
                    .withUrl(cfg.databaseUrl())
                    .withMigrations("classpath:db/migration/hotel")
                    .build());
        Transport transport = Transport.builder().withClock(clock).build();
        DrainingScheduler scheduler =
            new DrainingScheduler(
                cfg.channels().size() + polling.size() + 1, SHUTDOWN_WAIT.dividedBy(2));
        HotelEngine engine =
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
                .withSeed(cfg.seed())
                .build()) {
      Reconciler reconciler = reconciler(cfg, engine, db, clock);
      ResumeVerifier.install(
          engine,
          reconciler,
          cfg.reconciliation().verifyAfterOpen(),
          report -> printReport(out, report, " (verify before resume)"));
      engine.start();
      out.println("running channels=" + engine.channels() + " database=" + db.config());
      out.flush();
      List<ReservationPoller> pollers = new ArrayList<>();
      ReconcileSchedule reconciling = reconcileSchedule(cfg, reconciler, clock, scheduler, out);
      Scheduler.Cancellable status =
          every.isZero() ? () -> false : printStatus(engine, scheduler, every, out);
      try {
        pollers.addAll(startPollers(cfg, polling, engine, db, transport, scheduler, out));
        if (reader != null) {
          int code = ingest(engine, reader, out);
          if (code != 0) {
            return code;
          }
        }
        stop.await();
      } finally {
        pollers.forEach(ReservationPoller::close);
        status.cancel();
        if (reconciling != null) {
          reconciling.close();
        }
        if (reader != null) {
          reader.close();
        }
      }
    } finally {
      stopped.countDown();
    }
    return 0;
  }

  /**
   * A started reservation poller for each channel of {@code polling}: the channel's base URL,
   * mapping, resilience policy and credentials (an OAuth2 channel's polls carry its token), its
   * interval seeded from {@code engine.seed}. Each poll that brings new reservations prints one
   * line.
   */
  static List<ReservationPoller> startPollers(
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
  static Reconciler reconciler(EngineFileConfig cfg, HotelEngine engine, Database db, Clock clock) {
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
  static ReconcileSchedule reconcileSchedule(
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

  private int ingest(HotelEngine engine, FeedReader reader, PrintStream out) {
    Optional<FeedReader.Batch> next;
    while (stop.getCount() > 0 && (next = reader.next()).isPresent()) {
      FeedReader.Batch batch = next.get();
      if (!batch.errors().isEmpty()) {
        batch.errors().forEach(e -> System.err.println("paritysync: --feed " + e));
        return 2;
      }
      if (!batch.changes().isEmpty()) {
        try {
          engine.ingest().accept(batch.changes());
        } catch (ChangesRejected e) {
          for (FieldError error : e.errors()) {
            System.err.println("paritysync: --feed " + batch.onLine(error));
          }
          return 2;
        }
      }
      out.println("accepted " + batch.lastLine());
      out.flush();
    }
    if (stop.getCount() > 0) {
      out.println("feed complete " + reader.lineNumber());
      out.flush();
    }
    return 0;
  }

  private static Scheduler.Cancellable printStatus(
      HotelEngine engine, Scheduler scheduler, Duration every, PrintStream out) {
    Runnable[] task = new Runnable[1];
    Scheduler.Cancellable[] next = new Scheduler.Cancellable[1];
    boolean[] cancelled = new boolean[1];
    task[0] =
        () -> {
          try {
            engine.status().values().forEach(s -> out.println(line(s)));
            out.flush();
          } catch (RuntimeException e) {
            log.warn("could not read channel status", e);
          } finally {
            synchronized (next) {
              if (!cancelled[0]) {
                next[0] = scheduler.schedule(every, task[0]);
              }
            }
          }
        };
    synchronized (next) {
      next[0] = scheduler.schedule(every, task[0]);
    }
    return () -> {
      synchronized (next) {
        cancelled[0] = true;
        return next[0].cancel();
      }
    };
  }

  /** One status line: {@code status <channel> settled=.. pending=.. ...}. */
  static String line(HotelEngine.ChannelStatus s) {
    return "status "
        + s.channel()
        + " settled="
        + s.settled()
        + " pending="
        + s.pendingCells()
        + " inFlight="
        + s.inFlightCells()
        + " retrying="
        + s.retryingBatches()
        + " deadLetters="
        + s.deadLetters()
        + " reconciliation="
        + s.reconciliation()
        + " atParity="
        + s.cellsAtParity()
        + " requests="
        + s.requests()
        + " circuit="
        + s.circuit();
  }

  /** Ends {@link #call()} as SIGTERM would, without waiting; for tests running it in a thread. */
  void stop() {
    stop.countDown();
  }

  private void onSignal() {
    stop.countDown();
    try {
      if (!stopped.await(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        System.err.println("paritysync: shutdown took longer than " + SHUTDOWN_WAIT + "; exiting");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
