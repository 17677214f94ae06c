package dev.paritysync.app;

import dev.paritysync.app.config.RetentionConfig;
import dev.paritysync.core.time.Clock;
import dev.paritysync.hotel.engine.Retention;
import dev.paritysync.store.Database;
import dev.paritysync.store.Pruner;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The {@code retention:} section as tasks of the engine host's prune job: one per table (batches,
 * ledger, changes, webhook inbox), each running a pass at most every {@code retention.every}. A
 * pass deletes {@code retention.batchSize} rows per transaction and stops after {@link #BUDGET} of
 * clock time; a pass stopped that way is due again at the prune job's next run (every minute)
 * rather than after {@code every}, so a large backlog (retention switched on for an old database)
 * is worked off in slices that never hold the write lock long. Not thread-safe: the prune job calls
 * it from one thread.
 */
final class RetentionJob {
  /** How long one pass over one table may run before it yields to the next prune run. */
  static final Duration BUDGET = Duration.ofSeconds(10);

  /** The counter of rows deleted by retention, per table. */
  static final String PRUNED = "paritysync.retention.pruned.rows";

  private final RetentionConfig cfg;
  private final Clock clock;
  private final Retention retention;
  private final Supplier<MeterRegistry> registry;

  /** Tasks for {@code cfg}; {@code registry} gives the registry to count in, or null for none. */
  RetentionJob(Database db, Clock clock, RetentionConfig cfg, Supplier<MeterRegistry> registry) {
    this.cfg = cfg;
    this.clock = clock;
    this.registry = registry;
    this.retention = new Retention(db, clock, new Pruner(db, clock, cfg.batchSize(), BUDGET));
  }

  /** Adds the four tasks, by what they delete, to {@code pruning}. */
  void addTo(BiConsumer<String, IntSupplier> pruning) {
    pruning.accept(
        "ended batches (retention.batches)",
        new Due("work_items", () -> retention.batches(cfg.batches())));
    pruning.accept(
        "ledger entries (retention.ledger)",
        new Due("ledger", () -> retention.ledger(cfg.ledger())));
    pruning.accept(
        "changes (retention.changes)",
        new Due("ari_changes", () -> retention.changes(cfg.changes())));
    pruning.accept(
        "webhook inbox rows (retention.webhookInbox)",
        new Due("webhook_inbox", () -> retention.webhookInbox(cfg.webhookInbox())));
  }

  /** A pass that runs when due: at once, then {@code every} after each pass that finished. */
  private final class Due implements IntSupplier {
    private final String table;
    private final Supplier<Pruner.Result> pass;
    private Instant next = Instant.MIN;

    Due(String table, Supplier<Pruner.Result> pass) {
      this.table = table;
      this.pass = pass;
    }

    @Override
    public int getAsInt() {
      Instant now = clock.instant();
      if (now.isBefore(next)) {
        return 0;
      }
      Pruner.Result r = pass.get();
      next = r.finished() ? now.plus(cfg.every()) : now;
      MeterRegistry m = registry.get();
      if (m != null) {
        Counter.builder(PRUNED)
            .description("Rows deleted by retention, per table")
            .tag("table", table)
            .register(m)
            .increment(r.deleted());
      }
      return (int) Math.min(Integer.MAX_VALUE, r.deleted());
    }
  }
}
