package dev.paritysync.royalty;

import dev.paritysync.store.Database;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Puts dead-lettered rows in the store's dead-letter queue, {@code batchSize} rows per transaction
 * (each with its {@code queue.entered} ledger entry), so a report with many bad rows neither holds
 * them all in memory nor pays a transaction per row (500 unless another size is given). {@link
 * #close()} writes the rest. Not thread-safe: one writer per ingest run ({@link FileIngest} makes
 * it); other packages enter dead letters on their own transaction through {@link #entry}.
 *
 * <p>An item's channel is the source, its subject {@code report:row}, its correlation id the
 * report, its reason {@code field: reason}; the evidence holds source, report, row, field and the
 * raw excerpt, and the field values as read ({@code values}: field key → text, empty when the
 * line's fields could not be trusted), which {@link DeadLetterReplay} validates again.
 */
public final class DeadLetterWriter implements Consumer<DeadLetterRow>, AutoCloseable {
  /** Rows per transaction unless another size is given: 500. */
  static final int DEFAULT_BATCH_SIZE = 500;

  private final Database database;
  private final Queues queues;
  private final int batchSize;
  private final List<DeadLetterRow> pending = new ArrayList<>();
  private long written;

  /** A writer flushing every {@link #DEFAULT_BATCH_SIZE} rows. */
  DeadLetterWriter(Database database, Queues queues) {
    this(database, queues, DEFAULT_BATCH_SIZE);
  }

  /** A writer flushing every {@code batchSize} rows. */
  DeadLetterWriter(Database database, Queues queues, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
    }
    this.database = database;
    this.queues = queues;
    this.batchSize = batchSize;
  }

  @Override
  public void accept(DeadLetterRow row) {
    pending.add(row);
    if (pending.size() >= batchSize) {
      flush();
    }
  }

  /** Writes the buffered rows in one transaction. */
  void flush() {
    if (pending.isEmpty()) {
      return;
    }
    List<DeadLetterRow> batch = List.copyOf(pending);
    database.inTransactionRun(
        c -> {
          for (DeadLetterRow row : batch) {
            queues.enter(c, entry(row));
          }
        });
    written += batch.size();
    pending.clear();
  }

  /**
   * The dead-letter queue entry for {@code row}, as this writer enters it; for callers that enter
   * dead letters inside a transaction of their own ({@code royalty.dsp}).
   */
  public static Queues.Entry entry(DeadLetterRow row) {
    return Queues.entry(
            QueueItem.Queue.DEAD_LETTER,
            row.source(),
            row.report() + ":" + row.rowNumber(),
            row.field() + ": " + row.reason())
        .withCorrelationId(row.report())
        .withDetail("source", row.source())
        .withDetail("report", row.report())
        .withDetail("row", row.rowNumber())
        .withDetail("field", row.field())
        .withDetail("excerpt", row.excerpt())
        .withDetail("values", values(row));
  }

  /** The row's values by field key, in field order; null values are left out. */
  private static Map<String, String> values(DeadLetterRow row) {
    Map<String, String> out = new LinkedHashMap<>();
    row.values()
        .forEach(
            (f, v) -> {
              if (v != null) {
                out.put(f.key(), v);
              }
            });
    return out;
  }

  /** Rows written to the store so far. */
  long written() {
    return written;
  }

  /** Writes the rest. */
  @Override
  public void close() {
    flush();
  }
}
