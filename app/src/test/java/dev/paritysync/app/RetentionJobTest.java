package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.app.config.RetentionConfig;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import dev.paritysync.store.Ledger;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code retention:} section as prune tasks on a real SQLite file and virtual time: each
 * table's pass runs at once, then not again until {@code retention.every} has passed, and counts
 * the rows it deleted.
 */
class RetentionJobTest {
  @TempDir Path dir;
  final VirtualTime time = new VirtualTime(Instant.parse("2026-05-01T00:00:00Z"));
  final Ledger ledger = new Ledger(time);
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  Database db;

  @BeforeEach
  void open() {
    db =
        Database.open(
            DatabaseConfig.builder()
                .withSqliteFile(dir.resolve("retention.db"))
                .withMigrations("classpath:db/migration/hotel")
                .build());
  }

  @AfterEach
  void close() {
    db.close();
  }

  private void append(int n) {
    db.inTransaction(
        c -> {
          for (int i = 0; i < n; i++) {
            ledger.append(c, ledger.entry("old").build());
          }
          return null;
        });
  }

  @Test
  void eachTablesPassRunsAtOnceThenEveryPeriod() {
    RetentionConfig cfg =
        new RetentionConfig(
            Duration.ofDays(30),
            Duration.ofDays(2),
            Duration.ofDays(400),
            Duration.ofDays(30),
            Duration.ofHours(1),
            2);
    Map<String, IntSupplier> tasks = new LinkedHashMap<>();
    new RetentionJob(db, time, cfg, () -> registry).addTo(tasks::put);
    assertThat(tasks)
        .containsOnlyKeys(
            "ended batches (retention.batches)",
            "ledger entries (retention.ledger)",
            "changes (retention.changes)",
            "webhook inbox rows (retention.webhookInbox)");
    IntSupplier ledgerTask = tasks.get("ledger entries (retention.ledger)");
    append(5);
    time.advance(Duration.ofMinutes(10));
    append(3);
    time.advance(Duration.ofDays(2).minusMinutes(5)); // the 5 are old, the 3 not yet

    assertThat(ledgerTask.getAsInt()).isEqualTo(5);
    time.advance(Duration.ofMinutes(30)); // the 3 are old now, but the pass is not due
    assertThat(ledgerTask.getAsInt()).isZero();
    time.advance(Duration.ofMinutes(30));
    assertThat(ledgerTask.getAsInt()).isEqualTo(3);
    assertThat(ledgerTask.getAsInt()).isZero();
    assertThat(registry.get(RetentionJob.PRUNED).tag("table", "ledger").counter().count())
        .isEqualTo(8);
  }
}
