package dev.paritysync.store.cluster;

import dev.paritysync.core.quota.QuotaKey;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.store.Database;
import dev.paritysync.store.Dialect;
import dev.paritysync.store.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * What {@link SharedQuotasTest} and {@link SharedQuotasChannelWindowTest} share: a fresh database
 * of the subclass's dialect per test, virtual time, and two quota keys.
 */
abstract class SharedQuotasFixture {
  @TempDir Path dir;

  // Just before a DST change in Europe and a minute boundary: windows must not care.
  final VirtualTime time = new VirtualTime(Instant.parse("2026-03-29T00:59:59.990Z"));
  final QuotaKey hotelA = new QuotaKey("booking", "hotel-a", "ari");
  final QuotaKey hotelB = new QuotaKey("booking", "hotel-b", "ari");
  TestDatabases dbs;
  Database db;

  /** The dialect of this run: JUnit sets it from the subclass's {@code @EnumSource}. */
  @Parameter Dialect dialect;

  @BeforeEach
  void open() {
    dbs = TestDatabases.fresh(dialect, dir);
    db = dbs.open();
  }

  @AfterEach
  void close() {
    if (dbs != null) {
      dbs.close();
    }
  }
}
