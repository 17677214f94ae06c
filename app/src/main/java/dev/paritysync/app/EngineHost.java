package dev.paritysync.app;

import dev.paritysync.app.config.EngineFileConfig;
import dev.paritysync.app.config.PollingConfig;
import dev.paritysync.app.escalation.Escalation;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.retry.ChannelPolicy;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.channel.Credentials;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.hotel.engine.HotelEngineBuilder;
import dev.paritysync.hotel.poll.ReservationPoller;
import dev.paritysync.hotel.reconcile.ReconcileSchedule;
import dev.paritysync.hotel.reconcile.Reconciler;
import dev.paritysync.hotel.reconcile.ResumeVerifier;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import dev.paritysync.store.StoreException;
import dev.paritysync.store.cluster.Cluster;
import dev.paritysync.store.cluster.EngineLock;
import dev.paritysync.store.cluster.Leases;
import dev.paritysync.store.cluster.SharedTokens;
import dev.paritysync.store.cluster.WorkerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hotel engine as {@code paritysync run} and {@code paritysync serve} host it: the store, the
 * engine lock (SQLite serves one engine process), the transport, a draining scheduler, this
 * process's membership of the cluster (a worker with a heartbeat), the engine, its reconciler
 * (verify before resume) and the singletons: each channel's reservation poller ({@code
 * poller:<channel>}), the reconciliation timetable ({@code reconcile-timetable}) and pruning
 * ({@code prune}) and, when configured, escalation ({@code escalation}), each run by the one worker
 * holding its lease (see {@link Singletons}).
 *
 * <p>{@link #close()} closes in reverse order of opening: the singletons stop (and give their
 * leases back), the engine stops its loops, the scheduler waits (up to the drain given) for the
 * runs in progress, the worker leaves the cluster, and only then go the transport and the database
 * they use; the engine lock goes last. Not thread-safe: one command owns it.
 */
final class EngineHost implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EngineHost.class);

  /** The lease name of the reconciliation timetable. */
  static final String TIMETABLE = "reconcile-timetable";

  /** The lease name of pruning. */
  static final String PRUNE = "prune";

  /** How often the worker holding {@link #PRUNE} prunes. */
  static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

  /** Workers stopped or silent this long are deleted from the registry. */
  static final Duration WORKERS_GONE_FOR = Duration.ofDays(1);

  private final EngineFileConfig cfg;
  private final Map<String, PollingConfig> polling;
  private final Clock clock;
  private final PrintStream out;
  private final Database db;
  private final Transport transport;
  private final DrainingScheduler scheduler;
  private final HotelEngine engine;
  private final EngineLock lock;
  private final Cluster cluster;
  private final Reconciler reconciler;
  private final Singletons singletons;
  private final Map<String, IntSupplier> pruning = new LinkedHashMap<>();
  private @Nullable MeterRegistry registry;

  private EngineHost(
      EngineFileConfig cfg,
      Map<String, PollingConfig> polling,
      Clock clock,
      PrintStream out,
      Database db,
      EngineLock lock,
      Transport transport,
      DrainingScheduler scheduler,
      Cluster cluster,
      HotelEngine engine) {
    this.cfg = cfg;
    this.polling = polling;
    this.clock = clock;
    this.out = out;
    this.db = db;
    this.lock = lock;
    this.transport = transport;
    this.scheduler = scheduler;
    this.cluster = cluster;
    this.engine = engine;
    this.reconciler = reconciler(cfg, engine, db, clock);
    this.singletons =
        new Singletons(
            cluster.leases(), cluster.workerId(), cfg.cluster().singletonLease(), scheduler);
    pruning.put("cluster workers gone for " + WORKERS_GONE_FOR.toHours() + "h", this::pruneWorkers);
    pruning.put("retry budget slices", engine::pruneShared);
    new RetentionJob(db, clock, cfg.retention(), () -> registry).addTo(pruning::put);
  }

  /**
   * Opens the store (hotel migrations and {@code migrations}), takes the engine lock, opens the
   * transport, the scheduler (a thread per channel and poller, plus {@code extraThreads} and the
   * cluster's, draining for up to {@code drain}), joins the cluster (worker id prefixed with {@code
   * engine.owner}, heartbeat every {@code cluster.heartbeat}) and builds the engine as that worker
   * ({@code customize} may add builder options); nothing else runs until {@link #start()}.
   *
   * @throws IllegalArgumentException for a bad {@code reservations} block, before anything opens;
   *     or when another engine process holds the SQLite file of {@code database.url}
   */
  static EngineHost open(
      EngineFileConfig cfg,
      Clock clock,
      Duration drain,
      int extraThreads,
      List<String> migrations,
      Consumer<HotelEngineBuilder> customize,
      PrintStream out) {
    Map<String, PollingConfig> polling = cfg.polling();
    DatabaseConfig.Builder dbConfig =
        DatabaseConfig.builder()
            .withUrl(cfg.databaseUrl())
            .withMigrations("classpath:db/migration/hotel")
            .withMigrations(Escalation.MIGRATIONS);
    migrations.forEach(dbConfig::withMigrations);
    DatabaseConfig config = dbConfig.build();
    Database db = Database.open(config);
    EngineLock lock;
    try {
      lock = EngineLock.acquire(config, WorkerRegistry.newWorkerId(cfg.owner()), clock);
    } catch (StoreException e) {
      db.close();
      if (e.getCause() == null) {
        // Refused (another engine holds the file), not failed on I/O: a configuration error
        // (exit 2) whose message names database.url and the holder.
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      throw e;
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    Transport transport = null;
    DrainingScheduler scheduler = null;
    Cluster cluster = null;
    try {
      transport = Transport.builder().withClock(clock).build();
      scheduler =
          new DrainingScheduler(cfg.channels().size() + polling.size() + extraThreads + 3, drain);
      cluster = Cluster.join(db, clock, scheduler, cfg.owner(), cfg.cluster().heartbeat());
      HotelEngineBuilder b =
          HotelEngine.builder()
              .withDatabase(db)
              .withClock(clock)
              .withScheduler(scheduler)
              .withTransport(transport)
              .withPortfolio(cfg.portfolio())
              .withChannels(cfg.channels())
              .withPolicies(cfg.policies())
              .withTick(cfg.tick())
              .withLease(cfg.lease())
              .withOwner(cluster.workerId())
              .withCluster(cluster)
              .withSeed(cfg.seed());
      customize.accept(b);
      return new EngineHost(
          cfg, polling, clock, out, db, lock, transport, scheduler, cluster, b.build());
    } catch (RuntimeException e) {
      if (scheduler != null) {
        scheduler.close();
      }
      if (cluster != null) {
        cluster.close();
      }
      if (transport != null) {
        transport.close();
      }
      db.close();
      lock.close();
      throw e;
    }
  }

  /**
   * Adds {@code task} (deleting what is older than it keeps, returning how many rows) to the prune
   * job, which runs every {@link #PRUNE_EVERY} on the one worker holding the {@value #PRUNE} lease.
   * Call before {@link #start()}.
   */
  void addPruning(String what, IntSupplier task) {
    pruning.put(what, task);
  }

  /**
   * Where escalation counts its posts and retention the rows it deletes ({@code serve}'s registry);
   * call before {@link #start()}.
   */
  void meterEscalation(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Installs verify before resume, starts the engine's loops and the singletons: the pollers, the
   * reconciliation timetable (when configured) and pruning, each on this worker when it holds (or
   * takes) its lease.
   */
  void start() {
    ResumeVerifier.install(
        engine,
        reconciler,
        cfg.reconciliation().verifyAfterOpen(),
        report -> printReport(out, report, " (verify before resume)"));
    engine.start();
    if (!cluster.shared()) {
      freeLeasesOfPredecessors();
    }
    for (PollingConfig p : polling.values()) {
      singletons.add(
          "poller:" + p.channel(),
          () -> startPoller(cfg, p, engine, db, cluster, clock, transport, scheduler, out));
    }
    if (cfg.reconciliation().schedule().isPresent()) {
      singletons.add(TIMETABLE, () -> reconcileSchedule(cfg, reconciler, clock, scheduler, out));
    }
    singletons.add(
        PRUNE, () -> Singletons.repeating(scheduler, PRUNE_EVERY, "pruning", this::prune));
    cfg.escalation()
        .ifPresent(
            e ->
                singletons.add(
                    Escalation.LEASE,
                    () ->
                        Escalation.start(
                            e, engine, db, cluster, transport, scheduler, cfg.seed(), registry)));
    singletons.start();
  }

  /**
   * On SQLite the engine lock makes this the only engine process, so a lease still held by another
   * worker id was left by a process that died (SIGKILL): free it now rather than wait for it to
   * expire, so this process's pollers start at once as they did before there were leases.
   */
  private void freeLeasesOfPredecessors() {
    Leases leases = cluster.leases();
    for (Leases.Lease l : leases.all()) {
      if (!l.owner().equals(cluster.workerId())) {
        leases.release(l.name(), l.owner());
      }
    }
  }

  private void prune() {
    pruning.forEach(
        (what, task) -> {
          try {
            int n = task.getAsInt();
            if (n > 0) {
              log.info("pruned {} {}", n, what);
            }
          } catch (RuntimeException e) {
            log.warn("pruning {} failed: {}", what, e.toString());
          }
        });
  }

  private int pruneWorkers() {
    return cluster.registry().prune(WORKERS_GONE_FOR);
  }

  /**
   * The policy channel {@code channel}'s poller runs under: the one the load read and checked (the
   * {@code resilience} block over the hotel defaults, with the adapter's classification rows), so
   * pushes and polls of a channel follow one policy.
   */
  static ChannelPolicy pollerPolicy(EngineFileConfig cfg, String channel) {
    return Objects.requireNonNull(cfg.policies().get(channel), channel);
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

  /** This process's membership of the cluster. */
  Cluster cluster() {
    return cluster;
  }

  /** Whether this worker runs the singleton {@code name} now. */
  boolean runs(String name) {
    return singletons.running(name);
  }

  @Override
  public void close() {
    try {
      singletons.close();
    } finally {
      try {
        engine.close();
      } finally {
        try {
          scheduler.close();
        } finally {
          try {
            cluster.close();
          } finally {
            try {
              transport.close();
            } finally {
              try {
                db.close();
              } finally {
                lock.close();
              }
            }
          }
        }
      }
    }
  }

  /**
   * A started reservation poller for channel {@code p}: the channel's base URL, mapping, resilience
   * policy and credentials (an OAuth2 channel's polls carry its token: in a shared cluster the
   * token every worker's pushes use, refreshed once for all), its interval seeded from {@code
   * engine.seed}. Each poll that brings new reservations prints one line.
   */
  private static ReservationPoller startPoller(
      EngineFileConfig cfg,
      PollingConfig p,
      HotelEngine engine,
      Database db,
      Cluster cluster,
      Clock clock,
      Transport transport,
      Scheduler scheduler,
      PrintStream out) {
    ChannelConfig c =
        Objects.requireNonNull(
            cfg.channels().get(p.channel()), () -> "polling names no channel " + p.channel());
    ReservationPoller.Builder b = ReservationPoller.builder();
    if (cluster.shared() && c.credentials() instanceof Credentials.OAuth2 o) {
      b.withTokenStore(new SharedTokens(db, clock, c.name(), cluster.workerId(), o.clientSecret()));
    }
    ReservationPoller poller =
        b.withDatabase(db)
            .withScheduler(scheduler)
            .withTransport(transport)
            .withChannel(c.name(), c.baseUrl())
            .withMapping(c.mapping())
            .withIngest(engine.ingest())
            .withPolicy(pollerPolicy(cfg, c.name()))
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
    return poller;
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
   * The reconciliation timetable of {@code reconciliation.schedule} (which must be configured),
   * started. Each scan prints one line.
   */
  private static ReconcileSchedule reconcileSchedule(
      EngineFileConfig cfg,
      Reconciler reconciler,
      Clock clock,
      Scheduler scheduler,
      PrintStream out) {
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
