package dev.paritysync.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.paritysync.core.classify.FieldError;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.engine.ChangesRejected;
import dev.paritysync.store.Database;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the ingest of {@code POST /v1/changes} bodies — {@link ChangesBody} (strict JSON, {@code
 * ChangeJson}, the limits), then the engine's {@code Ingest} with its {@code ChangeValidator} —
 * into a real SQLite file, as the route does, without HTTP. For every body:
 *
 * <ul>
 *   <li>the only rejections are a {@link ProblemException} (400 or 422) and {@link
 *       ChangesRejected}, each listing at least one error with a non-blank field path ({@code $},
 *       {@code changes}, {@code changes[3].rate.amount} …) and message;
 *   <li>a rejection writes nothing: the rows of every table the ingest writes are counted before
 *       and after;
 *   <li>{@code Ingest.check} rejects exactly what {@code Ingest.accept} rejects;
 *   <li>an accepted body records one change row per change.
 * </ul>
 */
class ChangesIngestFuzzTest {
  private static final List<String> TABLES =
      List.of("ari_changes", "ari_truth", "ari_outbox", "ari_version", "ledger");

  @TempDir static Path dir;
  private static ApiFixture f;
  private static ChangesBody body;

  @BeforeAll
  static void open() {
    f = new ApiFixture(dir);
    body = new ChangesBody(ApiLimits.DEFAULTS);
  }

  @AfterAll
  static void close() {
    if (f != null) {
      f.close();
    }
  }

  @FuzzTest(maxDuration = "10s")
  void ingest(byte[] input) {
    long[] before = counts(f.db);
    List<Change> changes;
    try {
      changes = body.parse(input);
      body.checkBounds(changes);
    } catch (ProblemException e) {
      assertThat(e.status()).as("status of %s", e.getMessage()).isIn(400, 422);
      assertThat(e.detail()).isNotBlank();
      named(e.errors());
      assertThat(e.errorCount()).isGreaterThanOrEqualTo(e.errors().size());
      assertThat(counts(f.db)).as("rows after a problem").isEqualTo(before);
      return;
    }
    boolean checked;
    try {
      f.engine.ingest().check(changes);
      checked = true;
    } catch (ChangesRejected e) {
      checked = false;
    }
    try {
      f.engine.ingest().accept(changes);
    } catch (ChangesRejected e) {
      assertThat(checked).as("check passed what accept rejects: %s", e.errors()).isFalse();
      named(e.errors());
      assertThat(e.errors()).allSatisfy(x -> assertThat(x.path()).startsWith("changes["));
      assertThat(counts(f.db)).as("rows after a rejection").isEqualTo(before);
      return;
    }
    assertThat(checked).as("check rejected what accept took").isTrue();
    assertThat(counts(f.db)[0]).as("change rows").isEqualTo(before[0] + changes.size());
  }

  private static void named(List<FieldError> errors) {
    assertThat(errors).as("errors").isNotEmpty();
    for (FieldError e : errors) {
      assertThat(e.path()).as("path of %s", e).isNotBlank();
      assertThat(e.message()).as("message of %s", e).isNotBlank();
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
