package dev.paritysync.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys are pruned by the prune job ({@link ChangesRoutes#pruneIdempotencyKeys}, on the one worker
 * holding the {@code prune} lease), not by the requests; a key recorded again replaces its own
 * expired record.
 */
class IdempotencyKeysTest {
  @TempDir Path dir;

  @Test
  void recordingLeavesOtherExpiredKeysToThePruneJob() {
    try (ApiFixture f = new ApiFixture(dir)) {
      IdempotencyKeys keys = new IdempotencyKeys(f.db, f.time, Duration.ofHours(1));
      assertThat(record(f, keys, "old-1", "a")).isTrue();
      assertThat(record(f, keys, "old-2", "a")).isTrue();
      f.time.advance(Duration.ofHours(2));

      assertThat(record(f, keys, "old-1", "b")).isTrue();
      assertThat(record(f, keys, "new", "a")).isTrue();
      assertThat(rows(f)).isEqualTo(3); // old-2 expired but still there: requests do not prune

      assertThat(ChangesRoutes.pruneIdempotencyKeys(f.db, f.time, Duration.ofHours(1))).isOne();
      assertThat(rows(f)).isEqualTo(2);
      assertThat(keys.find("old-1").orElseThrow().fingerprint()).isEqualTo("b");
      assertThat(keys.find("old-2")).isEmpty();
    }
  }

  private static boolean record(ApiFixture f, IdempotencyKeys keys, String key, String print) {
    Boolean recorded = f.db.inTransaction(c -> keys.record(c, key, print, 202, "{}"));
    return recorded;
  }

  private static long rows(ApiFixture f) {
    return f.db.read(
        c -> {
          try (var ps = c.prepareStatement("SELECT COUNT(*) FROM idempotency_keys");
              var rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }
}
