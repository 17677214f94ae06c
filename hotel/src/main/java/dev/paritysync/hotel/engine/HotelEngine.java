package dev.paritysync.hotel.engine;

import dev.paritysync.core.breaker.BreakerState;
import dev.paritysync.core.breaker.Breakers;
import dev.paritysync.core.quota.QuotaGate;
import dev.paritysync.core.quota.Quotas;
import dev.paritysync.core.retry.ChannelPolicy;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.hotel.adapter.ChannelAdapter;
import dev.paritysync.hotel.ari.Cell;
import dev.paritysync.hotel.ari.ChangeValidator;
import dev.paritysync.hotel.ari.Portfolio;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.channel.ChannelMapping;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.Queues;
import dev.paritysync.store.WorkQueue;
import dev.paritysync.store.cluster.Cluster;
import dev.paritysync.store.cluster.SharedQuotas;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The hotel engine of one process: an {@link Ingest} feeding every configured channel's outbox, and
 * per channel a delivery loop on the {@link Scheduler} — form batches from the outbox (unless the
 * channel's circuit is open: then cells keep coalescing in the outbox), then deliver the due
 * batches through the channel's quota, circuit breaker and concurrency limit with its adapter and
 * credentials. A loop that did work runs again at once; an idle one waits a tick. Everything
 * durable lives in the database, so a restarted engine (same database, any owner id) finishes what
 * a killed one left: batches leased by the dead process come back when their lease expires.
 *
 * <p>Build with {@link #builder()}, then {@link #start()}; {@link #close()} stops the loops (it
 * does not close the database, transport or scheduler it was given). Thread-safe.
 */
public final class HotelEngine implements AutoCloseable {
  private static final String ENDPOINT = "ari";

  private final Database db;
  private final Clock clock;
  private final Scheduler scheduler;
  private final Ingest ingest;
  private final Replay replay;
  private final Map<String, Lane> lanes;
  private final Map<String, ChannelReader> readers;
  private final ResumeGate resumeGate;
  private final QuotaGate quotas;
  private final @Nullable EngineMetrics metrics;
  private final EngineSql sql;
  private final Portfolio portfolio;
  private volatile boolean started;
  private volatile boolean closed;

  HotelEngine(HotelEngineBuilder b) {
    // build() checked the required settings in its order; these name the same ones.
    this.db = Objects.requireNonNull(b.db, "database");
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.scheduler = Objects.requireNonNull(b.scheduler, "scheduler");
    this.portfolio = Objects.requireNonNull(b.portfolio, "portfolio");
    Map<String, ChannelConfig> channels = Objects.requireNonNull(b.channels, "channels");
    Ledger ledger = new Ledger(clock);
    Queues queues = new Queues(ledger, clock, b.maxBodyBytes);
    WorkQueue queue = new WorkQueue(db, clock);
    this.sql = new EngineSql(db, ledger, queues, queue);
    Breakers breakers = new Breakers(clock);
    this.resumeGate = new ResumeGate(db, clock, scheduler, ledger, ENDPOINT, this::readable);
    breakers.onStateChange(resumeGate);
    // In a cluster on a shared database, quota, retry budget, circuits and tokens are the
    // cluster's (see Admission); one process on its own keeps them in memory.
    Cluster cluster = b.cluster != null && b.cluster.shared() ? b.cluster : null;
    if (cluster != null) {
      resumeGate.shareWith(cluster.circuits());
    }
    Map<String, ChannelPolicy> policies = new LinkedHashMap<>();
    Map<String, ChannelAdapter> adapters = new LinkedHashMap<>();
    Quotas local = quotas(b, channels, policies, adapters);
    this.quotas = cluster != null ? new SharedQuotas(db, clock, local) : local;
    this.metrics = b.registry == null ? null : new EngineMetrics(b.registry);
    Map<String, ChannelMapping> mappings = new LinkedHashMap<>();
    channels.values().forEach(c -> mappings.put(c.name(), c.mapping()));
    this.ingest =
        new Ingest(
            db,
            new ChangeValidator(portfolio, clock, b.horizonDays),
            mappings,
            ledger,
            clock,
            metrics,
            b.otel);
    this.replay = new Replay(db, queue, queues, ledger);
    LaneWiring wiring =
        new LaneWiring(
            b,
            ledger,
            queues,
            queue,
            breakers,
            cluster,
            quotas,
            resumeGate,
            metrics,
            this::holding);
    Map<String, Lane> ls = new LinkedHashMap<>();
    Map<String, ChannelReader> rs = new LinkedHashMap<>();
    for (ChannelConfig c : channels.values()) {
      // quotas() put the policy and adapter of every channel
      ChannelPolicy p = Objects.requireNonNull(policies.get(c.name()), c.name());
      ls.put(
          c.name(),
          wiring.lane(c, p, Objects.requireNonNull(adapters.get(c.name()), c.name()), rs));
    }
    this.lanes = Collections.unmodifiableMap(ls);
    this.readers = Collections.unmodifiableMap(rs);
  }

  /**
   * Each channel's adapter and policy, and the quota windows this process configures: a channel's
   * configured quotas replace its dialect's documented ones as a whole.
   */
  private Quotas quotas(
      HotelEngineBuilder b,
      Map<String, ChannelConfig> channels,
      Map<String, ChannelPolicy> policies,
      Map<String, ChannelAdapter> adapters) {
    Quotas.Builder qb = Quotas.builder(clock);
    for (ChannelConfig c : channels.values()) {
      ChannelAdapter adapter = b.adapters.create(c);
      adapters.put(c.name(), adapter);
      ChannelPolicy read = b.policies.get(c.name()); // as the configuration loader read it
      ChannelPolicy p = read != null ? read : ChannelPolicies.of(c, adapter);
      policies.put(c.name(), p);
      // Configured quotas replace the dialect's documented ones as a whole.
      (p.quotas().isEmpty() ? adapter.defaultQuotas() : p.quotas())
          .forEach((endpoint, limits) -> qb.withLimits(c.name(), endpoint, limits));
    }
    return qb.build();
  }

  /**
   * Starts a builder; database, clock, scheduler, transport, portfolio and channels are required.
   */
  public static HotelEngineBuilder builder() {
    return new HotelEngineBuilder();
  }

  /** Where PMS changes enter. */
  public Ingest ingest() {
    return ingest;
  }

  /** Replays dead letters and reconciliation items. */
  public Replay replay() {
    return replay;
  }

  /**
   * The quotas every channel's requests take from, for reading their state ({@link
   * Quotas#configured}, {@link Quotas#used}); taking tokens here takes them from the channels.
   */
  public QuotaGate quotas() {
    return quotas;
  }

  /**
   * Deletes the cluster's shared counts that no longer matter (each channel's retry-budget slices
   * past its window); returns how many rows went. Nothing to do for one process. Call it from one
   * worker of the cluster at a time (the pruning singleton).
   */
  public int pruneShared() {
    int rows = 0;
    for (Lane lane : lanes.values()) {
      rows += lane.admission.prune();
    }
    return rows;
  }

  /** The properties, room types and rate plans this engine accepts changes for. */
  public Portfolio portfolio() {
    return portfolio;
  }

  /** The configured channels, in configuration order. */
  public List<String> channels() {
    return List.copyOf(lanes.keySet());
  }

  /**
   * Verify before resume: from now on, when a channel's push circuit closes after it was open at
   * least {@code afterOpen}, the channel's pushes are held (nothing is batched or claimed) while
   * {@code check} verifies the properties and dates the outage touched — those of the channel's
   * cells pending or in flight just after the circuit opened or when it closed — and resume when
   * the check ends, or unverified when it fails, the channel cannot be read, or it takes longer
   * than ten minutes. Ledgered as {@code circuit.verify} (attributes {@code openSeconds}, {@code
   * affected}) and {@code circuit.resumed} ({@code verified}, {@code result} or {@code reason}).
   * Snapshot reads of a held channel do not yield to its pending pushes. Off until called.
   *
   * @throws IllegalArgumentException when {@code afterOpen} is negative
   */
  public void verifyBeforeResume(Duration afterOpen, ResumeCheck check) {
    Objects.requireNonNull(afterOpen, "afterOpen");
    Objects.requireNonNull(check, "check");
    if (afterOpen.isNegative()) {
      throw new IllegalArgumentException("verifyAfterOpen must not be negative, was " + afterOpen);
    }
    resumeGate.configure(afterOpen, check);
  }

  private boolean readable(String channel) {
    return readers.containsKey(channel);
  }

  /** Whether {@code channel}'s pushes are held for a verification before resume. */
  boolean holding(String channel) {
    Lane lane = lanes.get(channel);
    return resumeGate.holding(channel) || (lane != null && lane.admission.held());
  }

  /**
   * Starts every channel's delivery loop.
   *
   * @throws IllegalStateException when already started or closed
   */
  public synchronized void start() {
    if (started || closed) {
      throw new IllegalStateException(closed ? "engine is closed" : "engine already started");
    }
    started = true;
    for (Lane lane : lanes.values()) {
      lane.schedule(Duration.ZERO);
    }
  }

  /**
   * Stops the loops, waiting for the runs in progress to end (a run waits at most for its requests'
   * timeout); batches still claimed are leased and come back.
   */
  @Override
  public synchronized void close() {
    closed = true;
    for (Lane lane : lanes.values()) {
      lane.cancel();
    }
    if (metrics != null) {
      metrics.unwatch(); // the gauges read this engine's database and breakers
    }
  }

  /**
   * Runs one step of {@code channel}'s loop on the calling thread: form batches (unless its circuit
   * is open), then deliver what is due. Returns whether it did anything. For tests and tools that
   * drive the engine without {@link #start()}.
   */
  public boolean step(String channel) {
    Lane lane = lanes.get(channel);
    if (lane == null) {
      throw new IllegalArgumentException("no channel " + channel + "; channels: " + channels());
    }
    return lane.step();
  }

  /** Every channel's counts, from the database and this process's counters. */
  public Map<String, ChannelStatus> status() {
    return db.read(
        c -> {
          Map<String, ChannelStatus> out = new LinkedHashMap<>();
          for (Lane lane : lanes.values()) {
            out.put(
                lane.channel,
                sql.status(
                    c, lane.channel, lane.worker.requestsSent(), lane.admission.circuitState()));
          }
          return out;
        });
  }

  /**
   * Every cell of {@code property} in truth that {@code channel}'s outbox has seen (that is, that
   * its mapping maps), with the truth's version and the channel's pending, in-flight and
   * acknowledged versions: what a parity report compares against what the channel holds.
   */
  public List<CellState> cells(String channel, String property) {
    return sql.cells(channel, property);
  }

  /**
   * The reader of {@code channel}'s snapshots (see {@link ChannelReader} for how reads yield to
   * pushes), or empty when its adapter cannot read the channel.
   *
   * @throws IllegalArgumentException when no channel is named {@code channel}
   */
  public java.util.Optional<ChannelReader> reader(String channel) {
    if (!lanes.containsKey(channel)) {
      throw new IllegalArgumentException("no channel " + channel + "; channels: " + channels());
    }
    return java.util.Optional.ofNullable(readers.get(channel));
  }

  /**
   * Re-pushes {@code cells} of {@code property} to {@code channel} only: in one transaction, every
   * such cell the channel's outbox knows and that has nothing pending or in flight becomes pending
   * again at truth's current version, so the next batch sends truth's value under a new idempotency
   * key; other channels are untouched. Appends {@code reconcile.repushed} (attributes {@code
   * property}, {@code cells}, {@code reason}) to the ledger with {@code subject}. Returns how many
   * cells became pending.
   *
   * @param subject what asked for it (a reconciliation report or queue item id)
   */
  public int repush(
      String channel, String property, List<Cell> cells, String subject, String reason) {
    reader(channel); // names an unknown channel
    return sql.repush(channel, property, cells, subject, reason);
  }

  /**
   * The open reconciliation item {@code itemId} (a batch the channel answered 409): its channel,
   * property, and truth with the channel's versions for each of its batch's cells.
   *
   * @throws IllegalArgumentException when no open reconciliation item has {@code itemId}
   */
  public Conflict conflict(String itemId) {
    return sql.conflict(itemId);
  }

  /**
   * Closes open reconciliation item {@code itemId} after a person resolved it: as replayed when
   * truth was re-pushed, else as discarded with {@code action} as the reason; appends {@code
   * reconcile.resolved} (attributes {@code action}, {@code by}).
   */
  public void resolveConflict(String itemId, String action, boolean replayed, String by) {
    sql.resolveConflict(itemId, action, replayed, by);
  }

  /**
   * A reconciliation item's cells. Immutable.
   *
   * @param item the queue item's id
   * @param channel the channel that answered 409
   * @param property the property
   * @param cells truth and the channel's versions for each cell of the item's batch
   */
  public record Conflict(String item, String channel, String property, List<CellState> cells) {
    public Conflict {
      cells = List.copyOf(cells);
    }
  }

  /**
   * One cell's truth and where a channel stands on it. Immutable.
   *
   * @param cell the cell's newest accepted value
   * @param version its version
   * @param pending the version waiting to be batched, or null
   * @param inFlight the version in a batch not yet ended, or null
   * @param acknowledged the newest version the channel acknowledged, or null
   */
  public record CellState(
      Cell cell,
      long version,
      @Nullable Long pending,
      @Nullable Long inFlight,
      @Nullable Long acknowledged) {
    /** The channel acknowledged the newest version. */
    public boolean atParity() {
      return acknowledged != null && acknowledged == version;
    }

    /** Not at parity and nothing on the way: the cell's batch sits in a queue. */
    public boolean parked() {
      return !atParity() && pending == null && inFlight == null;
    }
  }

  /**
   * One channel's state. Immutable.
   *
   * @param channel the channel
   * @param pendingCells cells with a version waiting to be batched
   * @param inFlightCells cells in a batch not yet acknowledged or failed
   * @param retryingBatches batches that failed at least once and wait for their next attempt
   * @param deadLetters open dead letters
   * @param reconciliation open reconciliation items
   * @param cellsAtParity cells whose newest version the channel acknowledged
   * @param requests requests sent by this process
   * @param circuit the channel's circuit state: the cluster's when it shares circuits, else this
   *     process's
   */
  public record ChannelStatus(
      String channel,
      long pendingCells,
      long inFlightCells,
      long retryingBatches,
      long deadLetters,
      long reconciliation,
      long cellsAtParity,
      long requests,
      BreakerState circuit) {

    /** Whether nothing waits to be sent or acknowledged (queued items aside). */
    public boolean settled() {
      return pendingCells == 0 && inFlightCells == 0;
    }
  }

  @Override
  public String toString() {
    return "HotelEngine" + new ArrayList<>(lanes.keySet());
  }
}
