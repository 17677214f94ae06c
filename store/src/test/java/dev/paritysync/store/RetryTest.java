package dev.paritysync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

class RetryTest {
  @TempDir Path dir;

  @Test
  void contentionIsRetriedAndTheLastAttemptCommits() {
    try (Database db = Database.open(DatabaseConfig.sqlite(dir.resolve("r.db")))) {
      AtomicInteger runs = new AtomicInteger();
      int result =
          db.inTransaction(
              c -> {
                DatabaseTest.exec(
                    c,
                    "INSERT INTO ledger VALUES ('id-"
                        + runs.get()
                        + "', 1, 'k', NULL, NULL, NULL, '{}')");
                if (runs.incrementAndGet() < 3) {
                  throw new SQLiteException("database is locked", SQLiteErrorCode.SQLITE_BUSY);
                }
                return runs.get();
              });
      assertThat(result).isEqualTo(3);
      // The two failed runs were rolled back: only the third insert is there.
      assertThat(DatabaseTest.count(db, "ledger")).isEqualTo(1);
    }
  }

  @Test
  void contentionOutlastingEveryAttemptFailsNamingTheAttempts() {
    DatabaseConfig config =
        DatabaseConfig.builder()
            .withSqliteFile(dir.resolve("f.db"))
            .withMaxTransactionAttempts(3)
            .build();
    try (Database db = Database.open(config)) {
      AtomicInteger runs = new AtomicInteger();
      assertThatThrownBy(
              () ->
                  db.inTransaction(
                      c -> {
                        runs.incrementAndGet();
                        throw new SQLiteException(
                            "database is locked", SQLiteErrorCode.SQLITE_BUSY);
                      }))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("attempt 3 of 3")
          .hasMessageContaining("database is locked");
      assertThat(runs).hasValue(3);
    }
  }

  @Test
  void otherFailuresAreNotRetried() {
    try (Database db = Database.open(DatabaseConfig.sqlite(dir.resolve("o.db")))) {
      AtomicInteger runs = new AtomicInteger();
      assertThatThrownBy(
              () ->
                  db.inTransaction(
                      c -> {
                        runs.incrementAndGet();
                        throw new SQLException("constraint failed", "23505");
                      }))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("attempt 1 of 5");
      assertThat(runs).hasValue(1);
    }
  }

  @Test
  void dialectsClassifyTheirContention() {
    assertThat(Dialect.SQLITE.isRetryable(new SQLiteException("x", SQLiteErrorCode.SQLITE_BUSY)))
        .isTrue();
    assertThat(
            Dialect.SQLITE.isRetryable(new SQLiteException("x", SQLiteErrorCode.SQLITE_CONSTRAINT)))
        .isFalse();
    assertThat(Dialect.POSTGRESQL.isRetryable(new SQLException("x", "40001"))).isTrue();
    assertThat(Dialect.POSTGRESQL.isRetryable(new SQLException("x", "40P01"))).isTrue();
    assertThat(Dialect.POSTGRESQL.isRetryable(new SQLException("x", "23505"))).isFalse();
    assertThat(Dialect.of("jdbc:postgresql://127.0.0.1/db")).isEqualTo(Dialect.POSTGRESQL);
  }
}
