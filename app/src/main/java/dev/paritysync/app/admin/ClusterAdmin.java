package dev.paritysync.app.admin;

import dev.paritysync.core.quota.Quotas;
import dev.paritysync.core.time.Clock;
import dev.paritysync.store.Database;
import dev.paritysync.store.cluster.Leases;
import dev.paritysync.store.cluster.SharedCircuits;
import dev.paritysync.store.cluster.SharedQuotas;
import dev.paritysync.store.cluster.WorkerRegistry;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The cluster at a glance, for the admin API's {@code GET /admin/v1/cluster}, {@code paritysync
 * cluster status} and the cluster's gauges on {@code /metrics}: the workers (alive, heartbeat age,
 * batches held), who holds each singleton, the shared quota of every key in use with its pause, and
 * the shared circuits. Everything is read from the database, so every worker, and a CLI beside
 * them, sees the same. Thread-safe.
 */
public final class ClusterAdmin {
  private final Clock clock;
  private final Duration aliveWithin;
  private final WorkerRegistry workers;
  private final Leases leases;
  private final SharedCircuits circuits;
  private final Supplier<List<Quotas.KeyState>> quotas;

  /**
   * The cluster of {@code db}, on {@code clock}; a worker is alive while its heartbeat is at most
   * {@code aliveWithin} old; {@code quotas} lists the quota keys in use.
   */
  public ClusterAdmin(
      Database db, Clock clock, Duration aliveWithin, Supplier<List<Quotas.KeyState>> quotas) {
    Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.aliveWithin = Objects.requireNonNull(aliveWithin, "aliveWithin");
    this.quotas = Objects.requireNonNull(quotas, "quotas");
    this.workers = new WorkerRegistry(db, clock);
    this.leases = new Leases(db, clock);
    this.circuits = new SharedCircuits(db, clock, "admin");
  }

  /** As above, with the quota keys of the cluster's shared table ({@code cluster_quotas}). */
  public static ClusterAdmin of(Database db, Clock clock, Duration aliveWithin) {
    SharedQuotas shared = new SharedQuotas(db, clock, Quotas.builder(clock).build());
    return new ClusterAdmin(db, clock, aliveWithin, shared::usedAll);
  }

  /**
   * The whole view.
   *
   * @param at when it was read (ISO-8601)
   * @param workers the registered workers, alive first, then newest first
   * @param singletons the unexpired singleton leases, by name
   * @param quotas the quota keys in use, by channel, endpoint and scope
   * @param circuits the cluster's circuits, by channel and endpoint
   */
  public record ClusterView(
      String at,
      List<WorkerView> workers,
      List<LeaseView> singletons,
      List<QuotaKeyView> quotas,
      List<CircuitView> circuits) {}

  /**
   * One worker (one {@code run} or {@code serve} process).
   *
   * @param id its worker id, {@code <engine.owner>-<host>-<pid>-<random>}
   * @param host the host it runs on
   * @param pid its process id
   * @param started when it registered (ISO-8601)
   * @param heartbeatAgeSeconds seconds since its last heartbeat
   * @param alive not stopped, and its heartbeat at most 3 heartbeats old
   * @param stopped when it stopped in order (ISO-8601), or null
   * @param batchesHeld batches it holds leased now
   */
  public record WorkerView(
      String id,
      String host,
      long pid,
      String started,
      double heartbeatAgeSeconds,
      boolean alive,
      @Nullable String stopped,
      int batchesHeld) {}

  /**
   * One singleton's lease.
   *
   * @param name {@code poller:<channel>}, {@code reconcile-timetable} or {@code prune}
   * @param owner the worker id holding it
   * @param acquired when this owner took it (renewing keeps it) (ISO-8601)
   * @param expires when it expires unless renewed (ISO-8601)
   */
  public record LeaseView(String name, String owner, String acquired, String expires) {}

  /**
   * One shared quota key.
   *
   * @param channel the channel
   * @param scope the scope its windows count in, such as a property code
   * @param endpoint the endpoint kind ({@code ari}, {@code read}, ...)
   * @param limits its windows as configured, such as {@code 10/1m}; empty when unlimited
   * @param available tokens it could take now, the fewest over its windows; -1 when unlimited
   * @param pausedUntil when the pause the channel announced ends (ISO-8601), or null
   * @param pausedSeconds seconds left of that pause; 0 when not paused
   */
  public record QuotaKeyView(
      String channel,
      String scope,
      String endpoint,
      List<String> limits,
      long available,
      @Nullable String pausedUntil,
      double pausedSeconds) {}

  /**
   * One shared circuit.
   *
   * @param channel the channel
   * @param endpoint the endpoint kind
   * @param state {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}
   * @param openedAt when it opened (ISO-8601), or null
   * @param openUntil when a probe may go (ISO-8601), or null
   * @param probeOwner the worker sending the one probe, or null
   * @param probeUntil until when that worker holds the probe (ISO-8601), or null
   * @param heldUntil until when verify before resume holds pushes on every worker, or null
   */
  public record CircuitView(
      String channel,
      String endpoint,
      String state,
      @Nullable String openedAt,
      @Nullable String openUntil,
      @Nullable String probeOwner,
      @Nullable String probeUntil,
      @Nullable String heldUntil) {}

  /** Reads the view: four queries. */
  public ClusterView view() {
    Instant now = clock.instant();
    List<WorkerView> ws = new ArrayList<>();
    for (WorkerRegistry.Worker w : workers.workers(aliveWithin)) {
      ws.add(
          new WorkerView(
              w.id(),
              w.host(),
              w.pid(),
              w.startedAt().toString(),
              seconds(Duration.between(w.heartbeatAt(), now)),
              w.alive(),
              iso(w.stoppedAt()),
              w.batchesHeld()));
    }
    List<LeaseView> ls = new ArrayList<>();
    for (Leases.Lease l : leases.all()) {
      ls.add(
          new LeaseView(l.name(), l.owner(), l.acquiredAt().toString(), l.expiresAt().toString()));
    }
    List<QuotaKeyView> qs = new ArrayList<>();
    for (Quotas.KeyState k : quotas.get()) {
      Instant until = k.pausedUntil();
      if (until != null && !until.isAfter(now)) {
        until = null;
      }
      Duration paused = until == null ? Duration.ZERO : Duration.between(now, until);
      qs.add(
          new QuotaKeyView(
              k.key().channel(),
              k.key().scope(),
              k.key().endpoint(),
              k.limits().stream().map(ChannelAdmin::window).toList(),
              k.available(),
              iso(until),
              seconds(paused)));
    }
    qs.sort(
        java.util.Comparator.comparing(QuotaKeyView::channel)
            .thenComparing(QuotaKeyView::endpoint)
            .thenComparing(QuotaKeyView::scope));
    List<CircuitView> cs = new ArrayList<>();
    for (SharedCircuits.Circuit c : circuits.all()) {
      cs.add(
          new CircuitView(
              c.channel(),
              c.endpoint(),
              c.state().name(),
              iso(c.openedAt()),
              iso(c.openUntil()),
              c.probeOwner(),
              iso(c.probeUntil()),
              iso(c.heldUntil())));
    }
    return new ClusterView(now.toString(), ws, ls, qs, cs);
  }

  /**
   * {@code view} as the text {@code paritysync cluster status} prints: one section per part, one
   * line per row, {@code -} for what is not set.
   */
  public static void print(ClusterView view, PrintWriter out) {
    long alive = view.workers().stream().filter(WorkerView::alive).count();
    out.println(
        "workers: "
            + alive
            + " alive, "
            + (view.workers().size() - alive)
            + " dead (at "
            + view.at()
            + ")");
    for (WorkerView w : view.workers()) {
      out.println(
          "  "
              + w.id()
              + "  "
              + (w.alive() ? "alive" : "dead ")
              + "  host="
              + w.host()
              + " pid="
              + w.pid()
              + " started="
              + w.started()
              + " heartbeatAge="
              + String.format(java.util.Locale.ROOT, "%.1fs", w.heartbeatAgeSeconds())
              + " batchesHeld="
              + w.batchesHeld()
              + (w.stopped() == null ? "" : " stopped=" + w.stopped()));
    }
    out.println("singletons: " + view.singletons().size());
    for (LeaseView l : view.singletons()) {
      out.println("  " + l.name() + "  owner=" + l.owner() + " expires=" + l.expires());
    }
    out.println("quotas: " + view.quotas().size());
    for (QuotaKeyView q : view.quotas()) {
      out.println(
          "  "
              + q.channel()
              + " "
              + q.endpoint()
              + " "
              + q.scope()
              + "  available="
              + q.available()
              + " limits="
              + (q.limits().isEmpty() ? "-" : String.join(",", q.limits()))
              + " pausedUntil="
              + dash(q.pausedUntil()));
    }
    out.println("circuits: " + view.circuits().size());
    for (CircuitView c : view.circuits()) {
      out.println(
          "  "
              + c.channel()
              + " "
              + c.endpoint()
              + "  "
              + c.state()
              + " openUntil="
              + dash(c.openUntil())
              + " probeOwner="
              + dash(c.probeOwner())
              + " heldUntil="
              + dash(c.heldUntil()));
    }
    out.flush();
  }

  private static String dash(@Nullable String s) {
    return s == null ? "-" : s;
  }

  private static @Nullable String iso(@Nullable Instant i) {
    return i == null ? null : i.toString();
  }

  private static double seconds(Duration d) {
    return Math.max(0, d.toMillis()) / 1000.0;
  }
}
