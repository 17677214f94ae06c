package dev.paritysync.app.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.app.testing.ChildJvm;
import dev.paritysync.core.time.Clock;
import dev.paritysync.royalty.lake.Lake;
import dev.paritysync.sim.SimDsp;
import dev.paritysync.sim.SimDspConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DSP pull end to end: {@code paritysync royalty pull} as a child process against a faulty
 * simulated DSP (5xx, 429, resets, truncated pages) in this JVM, killed with SIGKILL a few pages
 * into each of several runs — mid-report, while pages are fetched or committed — and run again
 * until it finishes. Afterwards every report holds exactly its manifest's rows, each once, one dead
 * letter per invalid row, and is complete (row count and checksum verified by the command).
 */
class RoyaltyPullCrashTest {
  private static final long SEED = Long.getLong("crash.seed", 20_261_124L);
  private static final YearMonth PERIOD = YearMonth.of(2026, 3);
  private static final int REPORTS = 3;
  private static final int ROWS = 2_000;
  private static final int PAGE = 100;
  private static final int KILLS = 5;
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);

  @TempDir Path dir;

  private SimDsp dsp;
  private Child child;

  @AfterEach
  void stop() {
    if (child != null) {
      child.process.destroyForcibly();
    }
    if (dsp != null) {
      dsp.close();
    }
  }

  /** One kill: after how many pages of its run, how far the report was, what was killed. */
  record Kill(int n, long pagesInRun, String lastPage, boolean exitedBefore) {
    /** Whether the last page printed before the kill left its report short of its rows. */
    boolean midReport() {
      if (lastPage == null) {
        return false;
      }
      String staged = lastPage.replaceAll(".* staged=(\\d+)/(\\d+) .*", "$1 $2");
      String[] parts = staged.split(" ");
      return Long.parseLong(parts[0]) < Long.parseLong(parts[1]);
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void sigkillsMidReportLoseNoRowAndDuplicateNone() throws Exception {
    dsp =
        SimDsp.start(
            SimDspConfig.newBuilder()
                .withSeed(SEED)
                .withReportsPerPeriod(REPORTS)
                .withRowsPerReport(ROWS)
                .withInvalidRate(0.03)
                .withP500(0.04)
                .withP503(0.03)
                .withPReset(0.03)
                .withPTruncate(0.04)
                .withP429(0.01)
                .build(),
            Clock.system());
    Path db = dir.resolve("data/royalty.db");
    Files.createDirectories(db.getParent());
    Random dice = new Random(SEED);
    List<Kill> kills = new ArrayList<>();
    for (int n = 1; n <= KILLS; n++) {
      kills.add(runAndKill(n, db, dice));
    }

    child = Child.start(dsp, db, dir.resolve("stderr-final.log"));
    assertThat(child.process.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
        .as("the final run finishes")
        .isTrue();
    child.drain();
    assertThat(child.process.exitValue()).as("exit status; stderr: %s", child.tail()).isZero();

    System.out.println("RoyaltyPullCrashTest: seed " + SEED + ", DSP " + dsp.stats());
    kills.forEach(
        k ->
            System.out.printf(
                "  kill %d after %d pages of its run, last '%s'%s%n",
                k.n(), k.pagesInRun(), k.lastPage(), k.exitedBefore() ? " (had exited)" : ""));
    child.lines.stream()
        .filter(l -> l.startsWith("metrics ") || l.startsWith("complete "))
        .forEach(l -> System.out.println("  final run: " + l));

    assertThat(kills).as("every kill hit a running pull").noneMatch(Kill::exitedBefore);
    assertThat(kills)
        .as("kills that landed mid-report")
        .filteredOn(Kill::midReport)
        .hasSizeGreaterThanOrEqualTo(3);
    assertThat(dsp.resets() + dsp.truncatedBodies()).as("faults were served").isPositive();
    assertThat(child.lines).anyMatch(l -> l.startsWith("metrics schema rejection rate: "));

    assertEveryReportHasEachRowOnce(db);
  }

  /** Run {@code n}: a pull SIGKILLed a seeded number of pages in, plus up to 60 ms. */
  private Kill runAndKill(int n, Path db, Random dice) throws Exception {
    child = Child.start(dsp, db, dir.resolve("stderr-" + n + ".log"));
    long target = 1 + dice.nextInt(10); // spreads the kills over the reports
    child.await("page " + target, () -> child.pages.get() >= target);
    Thread.sleep(dice.nextInt(60)); // real time: the child runs on the real clock
    boolean exited = !child.process.isAlive();
    long pages = child.pages.get();
    String last = child.lastPage.get();
    child.process.destroyForcibly(); // SIGKILL on Linux
    assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    if (!exited) {
      assertThat(child.process.exitValue()).as("exit status of a SIGKILLed JVM").isEqualTo(137);
    }
    child.drain();
    return new Kill(n, pages, last, exited);
  }

  /**
   * Every report of the period whole and once: each row numbered once, the valid ones in the lake,
   * the invalid ones dead letters, the report complete.
   */
  private void assertEveryReportHasEachRowOnce(Path db) throws Exception {
    List<String> ids = dsp.reportIds(PERIOD);
    assertThat(ids).hasSize(REPORTS);
    Map<String, Long> inLake = new HashMap<>();
    try (Lake lake = Lake.open(db.resolveSibling("lake"))) {
      for (String id : ids) {
        inLake.put(id, lake.count("simdsp", id));
      }
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro")) {
      for (String id : ids) {
        long rows = dsp.rowCount(id);
        assertThat(count(c, "SELECT COUNT(*) FROM royalty_rows WHERE report = ?", id))
            .as("rows of %s", id)
            .isEqualTo(rows);
        assertThat(
                count(
                    c, "SELECT COUNT(DISTINCT row_number) FROM royalty_rows WHERE report = ?", id))
            .isEqualTo(rows);
        assertThat(count(c, "SELECT MAX(row_number) FROM royalty_rows WHERE report = ?", id))
            .isEqualTo(rows);
        long dead =
            count(c, "SELECT COUNT(*) FROM royalty_rows WHERE report = ? AND valid = 0", id);
        assertThat(dead).isPositive();
        assertThat(inLake.get(id)).as("valid rows of %s in the lake", id).isEqualTo(rows - dead);
        assertThat(
                count(
                    c,
                    "SELECT COUNT(*) FROM queue_items WHERE queue = 'dead_letter'"
                        + " AND correlation_id = ?",
                    id))
            .as("dead letters of %s", id)
            .isEqualTo(dead);
        assertThat(
                count(
                    c,
                    "SELECT COUNT(*) FROM royalty_reports WHERE report = ? AND state = 'complete'",
                    id))
            .isEqualTo(1);
      }
    }
  }

  private static long count(Connection c, String sql, String arg) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** A {@code paritysync royalty pull} child process and what it printed. */
  static final class Child {
    final ChildJvm jvm;
    final Process process;
    final AtomicLong pages = new AtomicLong();
    final AtomicReference<String> lastPage = new AtomicReference<>();
    final List<String> lines = new CopyOnWriteArrayList<>();

    private Child(SimDsp dsp, Path db, Path stderr) throws IOException {
      this.jvm =
          ChildJvm.start(
              List.of(
                  "royalty",
                  "pull",
                  "--dsp",
                  dsp.baseUri().toString(),
                  "--source",
                  "simdsp",
                  "--period",
                  PERIOD.toString(),
                  "--db",
                  db.toString(),
                  "--lake",
                  db.resolveSibling("lake").toString(),
                  "--page-size",
                  Integer.toString(PAGE),
                  "--backoff-base",
                  "20ms"),
              Map.of(),
              stderr,
              this::read);
      this.process = jvm.process;
    }

    static Child start(SimDsp dsp, Path db, Path stderr) throws IOException {
      return new Child(dsp, db, stderr);
    }

    private void read(String line) {
      lines.add(line);
      if (line.startsWith("page ")) {
        lastPage.set(line);
        pages.incrementAndGet();
      }
    }

    void drain() throws InterruptedException {
      jvm.drain();
    }

    void await(String what, BooleanSupplier done) throws InterruptedException {
      jvm.await(what, RUN_TIMEOUT, done);
    }

    String tail() {
      return jvm.tail();
    }
  }
}
