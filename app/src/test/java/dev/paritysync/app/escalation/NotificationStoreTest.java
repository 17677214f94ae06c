package dev.paritysync.app.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.app.testing.PgSchema;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The state table on both databases: a real SQLite file, and PostgreSQL when {@code
 * PARITYSYNC_PG_URL} names a server (skipped, saying so, when not).
 */
class NotificationStoreTest {
  private static final Instant T0 = Instant.parse("2026-03-29T01:00:00.123Z");

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void rowsRoundTripUpsertAndDelete(String kind) {
    PgSchema pg = kind.equals("postgresql") ? PgSchema.open("esc", "the PostgreSQL case") : null;
    String url = pg != null ? pg.url() : "jdbc:sqlite:" + dir.resolve("state.db");
    try (Database db =
        Database.open(
            DatabaseConfig.builder().withUrl(url).withMigrations(Escalation.MIGRATIONS).build())) {
      NotificationStore store = new NotificationStore(db);
      Observation o =
          new Observation(Observation.CIRCUIT_OPEN, "booking", 301, 300, T0.minusSeconds(301));
      Notification fired = Notification.fired(o, "ops", "evt_1", T0);
      store.save(fired);
      assertThat(store.all()).containsExactly(fired);

      Notification failed = fired.failed("HTTP 503", T0.plusSeconds(1));
      store.save(failed);
      Notification resolved =
          failed.sent(T0.plusSeconds(1), null).resolved("evt_2", T0.plusSeconds(60));
      store.save(resolved);
      store.save(Notification.fired(o, "am", "evt_3", T0));
      assertThat(store.all())
          .extracting(Notification::receiver, Notification::state, Notification::eventId)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("am", Notification.FIRING, "evt_3"),
              org.assertj.core.groups.Tuple.tuple("ops", Notification.RESOLVED, "evt_2"));
      assertThat(store.all().get(1)).isEqualTo(resolved);
      assertThat(resolved.lastSentAt()).isEqualTo(T0.plusSeconds(1));

      store.delete(o.key(), "am");
      assertThat(store.all()).containsExactly(resolved);
    } finally {
      if (pg != null) {
        pg.close();
      }
    }
  }
}
