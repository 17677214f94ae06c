package dev.paritysync.hotel.engine;

import dev.paritysync.core.breaker.Breakers;
import dev.paritysync.core.budget.RetryBudget;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.quota.Quotas;
import dev.paritysync.core.retry.ChannelPolicy;
import dev.paritysync.core.retry.RetryDecider;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.adapter.NativeJsonAdapter;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.channel.ChannelLimits;
import dev.paritysync.hotel.channel.HotelDefaults;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.Queues;
import dev.paritysync.store.WorkQueue;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** One channel "a" on a real simulator, a real database of a {@link Backend}, and virtual time. */
final class Harness implements AutoCloseable {
  static final String CHANNEL = "a";

  final VirtualTime time = new VirtualTime(Engines.START);
  final Backend.EngineStore store;
  final Database db;
  final SimChannel sim;
  final Transport transport = Transport.builder().withClock(time).build();
  final Ledger ledger = new Ledger(time);
  final Queues queues = new Queues(ledger, time);
  final WorkQueue queue;
  final Ingest ingest;
  final NativeJsonAdapter adapter;
  final Batcher batcher;
  final Breakers breakers = new Breakers(time);
  final Quotas quotas = Quotas.builder(time).build();
  final RetryDecider decider;

  Harness(Backend backend, Path dir, SimConfig config) {
    this(backend, dir, config, HotelDefaults.policy(CHANNEL));
  }

  /** A harness whose workers decide under {@code policy}. */
  Harness(Backend backend, Path dir, SimConfig config, ChannelPolicy policy) {
    store = backend.open(dir);
    db = store.db;
    sim = SimChannel.start(config, time);
    queue = new WorkQueue(db, time);
    ingest = Engines.ingest(db, time, Map.of(CHANNEL, Engines.MAPPING));
    adapter = new NativeJsonAdapter(sim.baseUri(), Engines.MAPPING);
    // Eager: the tests form batches by hand and often want several of one property waiting at
    // once. HoldTest covers the engine's default, which holds a property back while it waits.
    batcher =
        new Batcher(db, queue, ledger, time, CHANNEL, ChannelLimits.DEFAULTS, adapter).eager();
    decider = new RetryDecider(policy, RetryBudget.builder(time).build(), new SplittableRandom(7));
  }

  DeliveryWorker worker(String owner) {
    return worker(owner, quotas);
  }

  DeliveryWorker worker(String owner, Quotas quotas) {
    return builder(owner, quotas).build();
  }

  /** A worker's builder with this harness's parts, for a test to add to. */
  DeliveryWorkerBuilder builder(String owner, Quotas quotas) {
    return DeliveryWorker.builder()
        .withDatabase(db)
        .withWorkQueue(queue)
        .withLedger(ledger)
        .withQueues(queues)
        .withClock(time)
        .withChannel(CHANNEL)
        .withAdapter(adapter)
        .withTransport(transport)
        .withDecider(decider)
        .withBreakers(breakers)
        .withQuotas(quotas)
        .withOwner(owner)
        .withLease(Duration.ofSeconds(30));
  }

  Accepted accept(Change... changes) {
    return ingest.accept(List.of(changes));
  }

  /** Forms and delivers until nothing is pending, in flight or due, advancing virtual time. */
  void settle(DeliveryWorker worker) {
    for (int i = 0; i < 1_000; i++) {
      batcher.formBatches();
      worker.runOnce();
      Long next =
          db.read(
              c -> {
                try (PreparedStatement ps =
                    c.prepareStatement(
                        "SELECT MIN(CASE WHEN state = 'ready' THEN next_attempt_at"
                            + " ELSE lease_expires_at END) FROM work_items"
                            + " WHERE queue = ? AND state IN ('ready', 'leased')")) {
                  ps.setString(1, Batcher.queueName(CHANNEL));
                  try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long v = rs.getLong(1);
                    return rs.wasNull() ? null : v;
                  }
                }
              });
      if (next == null) {
        if (Engines.count(
                db,
                "SELECT COUNT(*) FROM ari_outbox WHERE pending_version IS NOT NULL"
                    + " OR inflight_version IS NOT NULL")
            == 0) {
          return;
        }
        continue;
      }
      long wait = next - time.millis();
      if (wait > 0) {
        time.advance(Duration.ofMillis(wait));
      }
    }
    throw new AssertionError("did not settle in 1,000 rounds");
  }

  Instant now() {
    return time.instant();
  }

  @Override
  public void close() {
    transport.close();
    sim.close();
    store.close();
  }

  static SimConfig healthy() {
    return SimConfig.healthy(1);
  }
}
