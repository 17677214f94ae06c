package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.CellValue;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.LedgerEntry;
import dev.paritysync.store.QueueItem;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Drives {@code paritysync reconcile run} and {@code approve} against a real engine database and a
 * real simulator made to drift: one of three cells edited behind the engine's back is 33 % drift,
 * over the default 5 %, so the report waits for approval; approval makes the cell pending again.
 */
class ReconcileCommandTest {
  @TempDir Path dir;
  QueueFixture f;
  Path config;

  record Run(int code, String out, String err) {}

  @BeforeEach
  void drift() throws Exception {
    f = new QueueFixture(dir);
    f.push(QueueFixture.rate(1, 3, "90.00"));
    f.sim.overwrite(
        "P1",
        new CellKey("D1", "R1", QueueFixture.TODAY.plusDays(2)),
        new CellValue(new BigDecimal("70.00"), "EUR", null, null, null, null, null, null));
    Path key = dir.resolve("channel-a.key").toAbsolutePath();
    Files.writeString(key, "k");
    config = dir.resolve("paritysync.yaml");
    Files.writeString(
        config,
        """
        database: {url: "jdbc:sqlite:%s"}
        portfolio:
          properties:
            P1: {timezone: UTC, rooms: {DBL: {ratePlans: {BAR: EUR}}}}
        channels:
          a:
            adapter: native
            baseUrl: "%s"
            credentials: {apiKey: {header: X-Api-Key, value: "${file:%s}"}}
            mapping: {rooms: {DBL: D1}, ratePlans: {BAR: R1}}
        reconciliation:
          autoCorrect: {maxCells: 50, maxPercent: 5}
        """
            .formatted(f.file, f.sim.baseUri(), key));
  }

  @AfterEach
  void close() {
    f.close();
  }

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine(f.time);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void largeDriftIsReportedAndPushedOnlyAfterApproval() throws Exception {
    Path out = dir.resolve("reports");
    Run r =
        run(
            "reconcile",
            "run",
            "--config",
            config.toString(),
            "--from",
            "2026-03-02",
            "--to",
            "2026-03-04",
            "--out",
            out.toString());

    assertThat(r.code()).as(r.err()).isZero();
    Matcher m =
        Pattern.compile("report (\\S+) REVIEW from=2026-03-02 to=2026-03-04").matcher(r.out());
    assertThat(m.find()).as(r.out()).isTrue();
    String id = m.group(1);
    assertThat(r.out())
        .contains(
            "a P1 REVIEW compared=3 drift=33.33% STALE=0 UNKNOWN_VALUE=1 MISSING=0 UNMAPPED=0"
                + " QUEUED=0 IN_FLIGHT=0 repushed=0")
        .contains("paritysync reconcile approve " + id);
    assertThat(Files.readString(out.resolve("reconcile-" + id + ".html")))
        .contains("class=\"heatmap\"", "<tr class=\"UNKNOWN_VALUE\">");
    assertThat(Files.readString(out.resolve("reconcile-" + id + ".csv")))
        .contains(
            id + ",a,P1,REVIEW,UNKNOWN_VALUE,DBL,BAR,2026-03-03,1,rate 90.00 EUR,rate 70.00 EUR");
    assertThat(Files.readString(out.resolve("reconcile-" + id + ".json")))
        .contains("\"id\" : \"" + id);
    assertThat(f.pending()).isZero();

    Run approved = run("reconcile", "approve", id, "--config", config.toString(), "--by", "rm");

    assertThat(approved.code()).as(approved.err()).isZero();
    assertThat(approved.out()).contains("report " + id + " APPROVED", "repushed=1");
    assertThat(f.pending()).isEqualTo(1);
    f.step();
    assertThat(
            f.sim.state("P1").get(new CellKey("D1", "R1", QueueFixture.TODAY.plusDays(2))).rate())
        .isEqualByComparingTo("90.00");

    Run again = run("reconcile", "approve", id, "--config", config.toString());
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err())
        .isEqualTo(
            "paritysync: reconciliation report "
                + id
                + " is APPROVED, not waiting for review"
                + System.lineSeparator());
  }

  @Test
  void badInputIsOneLineNamingTheCulprit() {
    Run r =
        run(
            "reconcile",
            "run",
            "--config",
            config.toString(),
            "--property",
            "P9",
            "--from",
            "2026-03-02");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("paritysync: --property P9: not in the portfolio; properties: [P1]");
    Run d = run("reconcile", "run", "--config", config.toString(), "--from", "March");
    assertThat(d.err()).startsWith("paritysync: --from: 'March' is not a date (yyyy-MM-dd)");
    Run c =
        run(
            "reconcile",
            "run",
            "--config",
            config.toString(),
            "--channel",
            "zz",
            "--from",
            "2026-03-02");
    assertThat(c.err()).startsWith("paritysync: no channel zz; channels: [a]");
  }

  /** Pushes the simulator's conflict cell (409) and returns the reconciliation item it parked. */
  private QueueItem conflict() {
    f.push(QueueFixture.rate(5, 5, "90.00"));
    return f.items().stream()
        .filter(i -> i.queue() == QueueItem.Queue.RECONCILIATION)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aConflictIsShownSideBySideAndTheChannelsValueAccepted() {
    QueueItem item = conflict();
    f.sim.overwrite(
        "P1",
        new CellKey("D1", "R1", QueueFixture.CONFLICT_DAY),
        new CellValue(new BigDecimal("95.00"), "EUR", null, null, null, null, null, null));

    Run shown = run("reconcile", "show", item.id(), "--config", config.toString());

    assertThat(shown.code()).as(shown.err()).isZero();
    assertThat(shown.out())
        .contains("item " + item.id() + " channel=a property=P1")
        .containsPattern(
            "DBL +BAR +" + QueueFixture.CONFLICT_DAY + " +rate 90.00 EUR +rate 95.00 EUR +differs");

    Run resolved =
        run(
            "reconcile",
            "resolve",
            item.id(),
            "--config",
            config.toString(),
            "--accept-channel",
            "--by",
            "rm");

    assertThat(resolved.code()).as(resolved.err()).isZero();
    assertThat(resolved.out()).contains("resolved " + item.id() + " accepted 1 cells into truth");
    assertThat(f.item(item.id()).state()).isEqualTo(QueueItem.State.DISCARDED);
    assertThat(
            f.count(
                "SELECT COUNT(*) FROM ari_truth WHERE date = ? AND rate = '95.00'",
                QueueFixture.CONFLICT_DAY.toString()))
        .isEqualTo(1);
    assertThat(
            f.db.read(c -> new Ledger(f.time).bySubject(c, item.id())).stream()
                .map(LedgerEntry::kind))
        .containsExactly("reconcile.resolved");
    assertThat(
            f.db.read(c -> new Ledger(f.time).bySubject(c, item.subject())).stream()
                .map(LedgerEntry::kind))
        .contains("queue.discarded");
  }

  @Test
  void aConflictResolvedByRepushIsPendingAgainForItsChannel() {
    QueueItem item = conflict();
    assertThat(f.pending()).isZero();

    Run resolved =
        run("reconcile", "resolve", item.id(), "--config", config.toString(), "--repush");

    assertThat(resolved.code()).as(resolved.err()).isZero();
    assertThat(resolved.out()).contains("resolved " + item.id() + " re-pushed 1 cells");
    assertThat(f.pending()).isEqualTo(1);
    assertThat(f.item(item.id()).state()).isEqualTo(QueueItem.State.REPLAYED);
    Run both =
        run(
            "reconcile",
            "resolve",
            item.id(),
            "--config",
            config.toString(),
            "--repush",
            "--accept-channel");
    assertThat(both.err())
        .startsWith("paritysync: give exactly one of --repush and --accept-channel");
    Run closed = run("reconcile", "resolve", item.id(), "--config", config.toString(), "--repush");
    assertThat(closed.err()).startsWith("paritysync: no open reconciliation item " + item.id());
  }
}
