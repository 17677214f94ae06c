package dev.paritysync.hotel.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.paritysync.core.http.Headers;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.core.webhook.Verification;
import dev.paritysync.core.webhook.WebhookRequest;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.ChangeValidator;
import dev.paritysync.hotel.ari.Portfolio;
import dev.paritysync.hotel.ari.Property;
import dev.paritysync.hotel.ari.RatePlan;
import dev.paritysync.hotel.ari.RoomType;
import dev.paritysync.hotel.channel.ChannelMapping;
import dev.paritysync.hotel.engine.Backend;
import dev.paritysync.hotel.engine.Ingest;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ledger;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the webhook intake with arbitrary verified bodies, on a real SQLite file. Each input is
 * delivered once under a webhook id of its own. For every body the intake never throws and:
 *
 * <ul>
 *   <li>dead-letters it with a detail starting with the JSON pointer at fault ({@code /…: why}),
 *       writing its inbox row and one dead letter and nothing else: no revision, no change, no
 *       outbox row;
 *   <li>or records exactly one new revision ({@code ACCEPTED});
 *   <li>or finds the revision recorded before ({@code DUPLICATE}) and writes only the inbox row.
 * </ul>
 */
class WebhookIntakeFuzzTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 3, 1);
  private static final ChannelMapping MAPPING =
      new ChannelMapping(Map.of("DBL", "D1", "SGL", "S1"), Map.of("BAR", "R1"));
  private static final Portfolio PORTFOLIO =
      Portfolio.of(
          Property.of(
              "P1",
              ZoneOffset.UTC,
              RoomType.of("DBL", RatePlan.of("BAR", "EUR")),
              RoomType.of("SGL", RatePlan.of("BAR", "EUR"))));
  private static final List<String> TABLES =
      List.of("webhook_inbox", "reservation_revisions", "ari_changes", "ari_outbox", "queue_items");

  @TempDir static Path dir;
  private static final VirtualTime time = new VirtualTime(Instant.parse("2026-03-01T00:00:00Z"));
  private static final AtomicLong ids = new AtomicLong();
  private static Backend.EngineStore store;
  private static WebhookIntake intake;

  @BeforeAll
  static void open() {
    store = Backend.SQLITE.open(dir);
    Ingest ingest =
        new Ingest(
            store.db,
            new ChangeValidator(PORTFOLIO, time),
            Map.of("feed", MAPPING, "other", MAPPING),
            new Ledger(time),
            time);
    ingest.accept(
        List.of(
            Change.builder("P1", "DBL", TODAY, TODAY.plusDays(60)).withAvailability(5).build(),
            Change.builder("P1", "SGL", TODAY, TODAY.plusDays(60)).withAvailability(3).build()));
    intake =
        WebhookIntake.builder()
            .withDatabase(store.db)
            .withClock(time)
            .withIngest(ingest)
            .withChannel("feed", MAPPING)
            .withMaxStayNights(60)
            .build();
  }

  @AfterAll
  static void close() {
    if (store != null) {
      store.close();
    }
  }

  @FuzzTest(maxDuration = "10s")
  void accept(byte[] body) {
    long[] before = counts(store.db);
    String webhookId = "msg_" + ids.incrementAndGet();

    WebhookIntake.Result r =
        intake.accept(
            "feed", WebhookRequest.of(Headers.empty(), body), Verification.verified(webhookId));

    long[] after = counts(store.db);
    assertThat(after[0]).as("one inbox row per webhook id").isEqualTo(before[0] + 1);
    switch (r.outcome()) {
      case DEAD_LETTERED -> {
        assertThat(r.detail()).as("detail").isNotBlank().startsWith("/").contains(": ");
        assertThat(r.detail())
            .as("an unforeseen failure to read, not a pointer and a reason")
            .doesNotStartWith("/: cannot be read");
        assertThat(r.reservation()).isNull();
        assertThat(r.revision()).isZero();
        assertThat(after[1]).as("no revision").isEqualTo(before[1]);
        assertThat(after[2]).as("no change").isEqualTo(before[2]);
        assertThat(after[3]).as("no outbox row").isEqualTo(before[3]);
        assertThat(after[4]).as("one dead letter").isEqualTo(before[4] + 1);
      }
      case ACCEPTED -> {
        assertThat(r.reservation()).isNotBlank();
        assertThat(r.revision()).isPositive();
        assertThat(after[1]).as("one revision").isEqualTo(before[1] + 1);
        assertThat(after[4]).as("no dead letter").isEqualTo(before[4]);
      }
      case DUPLICATE -> {
        assertThat(r.detail()).contains("was received before");
        assertThat(after[1]).as("no revision").isEqualTo(before[1]);
        assertThat(after[2]).as("no change").isEqualTo(before[2]);
        assertThat(after[4]).as("no dead letter").isEqualTo(before[4]);
      }
    }
  }

  private static long[] counts(Database db) {
    return db.read(
        c -> {
          long[] out = new long[TABLES.size()];
          for (int i = 0; i < out.length; i++) {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT COUNT(*) FROM " + TABLES.get(i));
                ResultSet rs = ps.executeQuery()) {
              rs.next();
              out[i] = rs.getLong(1);
            }
          }
          return out;
        });
  }
}
