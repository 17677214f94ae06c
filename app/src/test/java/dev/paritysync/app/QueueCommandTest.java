package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.store.LedgerEntry;
import dev.paritysync.store.QueueItem;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Drives {@code paritysync queue} against items the real engine parked: a 422 (rate under the
 * simulator's floor) in dead letter, a 409 (conflict cell) in reconciliation.
 */
class QueueCommandTest {
  @TempDir Path dir;
  QueueFixture f;
  QueueItem dead;
  QueueItem conflict;

  /** What one run printed, and its exit code. */
  record Run(int code, String out, String err) {}

  @BeforeEach
  void park() {
    f = new QueueFixture(dir);
    f.push(QueueFixture.rate(1, 2, "10.00")); // both days under the floor: 422, dead letter
    f.push(QueueFixture.rate(5, 5, "90.00")); // the conflict cell: 409, reconciliation
    f.time.advance(Duration.ofMinutes(5));
    List<QueueItem> items = f.items();
    assertThat(items)
        .extracting(QueueItem::queue)
        .containsExactly(QueueItem.Queue.DEAD_LETTER, QueueItem.Queue.RECONCILIATION);
    dead = items.get(0);
    conflict = items.get(1);
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
    List<String> all = new ArrayList<>(List.of(args));
    if (args.length >= 2
        && args[0].equals("queue")
        && !all.contains("--url")
        && !all.contains("--db")) {
      all.add(2, f.file.toString());
      all.add(2, "--db");
    }
    int code = cl.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void listShowsOpenItemsAsATableOldestFirst() {
    Run r = run("queue", "list");

    assertThat(r.code()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).matches("ID +QUEUE +CHANNEL +AGE +CELLS +REASON");
    assertThat(lines.get(1))
        .startsWith(dead.id())
        .contains(
            "dead-letter",
            "  a  ",
            "5m",
            "  2  ",
            "validation (HTTP 422: [updates[0].rate: rate 10.00 is bel...");
    assertThat(lines.get(2))
        .startsWith(conflict.id())
        .contains(
            "reconciliation",
            "  1  ",
            "conflict: the channel holds these cells differently (HTTP...");
    assertThat(lines).hasSize(3);
  }

  @Test
  void listFiltersByQueueAndLimitSaysWhenItCut() {
    Run r = run("queue", "list", "--queue", "reconciliation");
    assertThat(r.out()).contains(conflict.id()).doesNotContain(dead.id());

    Run limited = run("queue", "list", "--limit", "1");
    assertThat(limited.out()).contains(dead.id(), "(more items: raise --limit)");

    Run none = run("queue", "list", "--channel", "b");
    assertThat(none.out()).isEqualTo("no open items" + System.lineSeparator());
  }

  @Test
  void listJsonIsMachineReadable() throws Exception {
    Run r = run("queue", "list", "--json");

    JsonNode items = new ObjectMapper().readTree(r.out());
    assertThat(items).hasSize(2);
    assertThat(items.get(0).get("id").asText()).isEqualTo(dead.id());
    assertThat(items.get(0).get("queue").asText()).isEqualTo("dead-letter");
    assertThat(items.get(0).get("cells").asInt()).isEqualTo(2);
    assertThat(items.get(0).get("state").asText()).isEqualTo("open");
    assertThat(items.get(1).get("queue").asText()).isEqualTo("reconciliation");
  }

  @Test
  void showPrintsTheEvidenceTheAttemptsAndTheLedgerTrail() {
    Run r = run("queue", "show", dead.id());

    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("item         " + dead.id())
        .contains("queue        dead-letter, open")
        .contains("correlation  " + dead.correlationId())
        .contains("entered      2026-03-01T00:00:00Z (5m ago)")
        .contains("reason       " + dead.reason())
        .contains("batch: property P1, 2 cells, 1 ranges")
        .contains("DBL/BAR 2026-03-02..2026-03-03  rate 10.00 EUR")
        .contains("DBL/BAR/2026-03-02@", "DBL/BAR/2026-03-03@")
        .containsPattern("#1  status 422  latency \\d+ ms  delay -  action DEAD_LETTER")
        .contains("last request: POST " + f.sim.baseUri())
        .contains("rate 10.00 is below the floor 50")
        .contains("last response: 422")
        .contains("ledger (" + dead.subject() + "):")
        .containsPattern("batch\\.formed +property=P1 ranges=1 cells=2")
        .containsPattern("attempt +attempt=1 status=422")
        .contains("queue.entered", "batch.dead_lettered");
  }

  @Test
  void showJsonHoldsEvidenceAttemptsAndLedger() throws Exception {
    Run r = run("queue", "show", conflict.id(), "--json");

    JsonNode item = new ObjectMapper().readTree(r.out());
    assertThat(item.get("id").asText()).isEqualTo(conflict.id());
    assertThat(item.at("/evidence/request/method").asText()).isEqualTo("POST");
    assertThat(item.at("/evidence/response/status").asInt()).isEqualTo(409);
    assertThat(item.at("/evidence/batch/cells")).hasSize(1);
    assertThat(item.at("/attempts/0/status").asInt()).isEqualTo(409);
    List<String> kinds = new ArrayList<>();
    item.get("ledger").forEach(e -> kinds.add(e.get("kind").asText()));
    assertThat(kinds).contains("attempt", "queue.entered", "batch.reconciliation");
  }

  @Test
  void replayRependsTheNewestCellsAndSkipsSupersededOnes() {
    f.push(QueueFixture.rate(2, 2, "80.00")); // day 2 superseded, and delivered
    assertThat(f.pending()).isZero();

    Run r = run("queue", "replay", dead.id());

    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains(dead.id() + "  dead-letter/a  1 cell pending again, 1 skipped as superseded")
        .contains("The running engine sends it in new batches; this command sent nothing.");
    assertThat(f.item(dead.id()).state()).isEqualTo(QueueItem.State.REPLAYED);
    assertThat(f.pending()).isEqualTo(1);
    assertThat(
            f.count(
                "SELECT COUNT(*) FROM ari_outbox WHERE pending_version IS NOT NULL AND date = ?",
                QueueFixture.TODAY.plusDays(1).toString()))
        .isEqualTo(1);
    List<LedgerEntry> trail = f.db.read(c -> f.ledger.bySubject(c, dead.subject()));
    assertThat(trail).extracting(LedgerEntry::kind).contains("queue.replayed", "batch.replayed");
    assertThat(f.item(conflict.id()).state()).isEqualTo(QueueItem.State.OPEN);
  }

  @Test
  void replayWhenEveryCellWasSupersededPendsNothing() {
    f.push(QueueFixture.rate(1, 2, "80.00")); // both days superseded, and delivered

    Run r = run("queue", "replay", dead.id());

    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains(dead.id() + "  dead-letter/a  0 cells pending again, 2 skipped as superseded")
        .contains("replayed 1 item: every cell was superseded, nothing is pending again.");
    assertThat(f.pending()).isZero();
    assertThat(f.item(dead.id()).state()).isEqualTo(QueueItem.State.REPLAYED);
  }

  @Test
  void replayingAClosedOrUnknownItemIsOneLineAndExitTwo() {
    assertThat(run("queue", "replay", dead.id()).code()).isZero();

    Run again = run("queue", "replay", dead.id());
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err())
        .startsWith("paritysync: queue item " + dead.id() + " is already replayed (at ")
        .hasLineCount(1);

    Run unknown = run("queue", "replay", conflict.id(), "nope");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).isEqualTo("paritysync: no queue item nope" + System.lineSeparator());
    assertThat(f.item(conflict.id()).state())
        .as("one bad id replays nothing")
        .isEqualTo(QueueItem.State.OPEN);
  }

  @Test
  void replayAllTakesEveryOpenItemOfTheQueue() {
    Run r = run("queue", "replay", "--all", "--queue", "reconciliation");

    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains(conflict.id() + "  reconciliation/a  1 cell pending again, 0 skipped")
        .contains("replayed 1 item: 1 cell is pending again.");
    assertThat(f.item(conflict.id()).state()).isEqualTo(QueueItem.State.REPLAYED);
    assertThat(f.item(dead.id()).state()).isEqualTo(QueueItem.State.OPEN);
    assertThat(f.pending()).isEqualTo(1);

    Run both = run("queue", "replay", "--all", dead.id());
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("give item ids or --all, not both or neither");
  }

  @Test
  void discardClosesTheItemWithItsReasonInTheLedger() {
    Run r = run("queue", "discard", dead.id(), "--reason", "PMS rate was a typo", "--by", "rm");

    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo(dead.id() + "  discarded: PMS rate was a typo\n");
    QueueItem item = f.item(dead.id());
    assertThat(item.state()).isEqualTo(QueueItem.State.DISCARDED);
    assertThat(item.closedReason()).isEqualTo("PMS rate was a typo");
    List<LedgerEntry> trail = f.db.read(c -> f.ledger.bySubject(c, dead.subject()));
    assertThat(trail)
        .filteredOn(e -> e.kind().equals("queue.discarded"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.attributes())
                    .containsEntry("reason", "PMS rate was a typo")
                    .containsEntry("by", "rm"));
    assertThat(f.pending()).isZero();

    Run all = run("queue", "list", "--state", "all");
    assertThat(all.out().lines().toList().get(0)).contains("STATE");
    assertThat(all.out()).containsPattern(dead.id() + " .* discarded ");
  }

  @Test
  void discardNeedsANonBlankReason() {
    Run missing = run("queue", "discard", dead.id());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required option: '--reason=text'");

    Run blank = run("queue", "discard", dead.id(), "--reason", "  ");
    assertThat(blank.code()).isEqualTo(2);
    assertThat(blank.err()).isEqualTo("paritysync: --reason: must not be blank\n");
    assertThat(f.item(dead.id()).state()).isEqualTo(QueueItem.State.OPEN);
  }

  @Test
  void aMissingDatabaseFileIsNamedAndNotCreated() {
    Path missing = dir.resolve("nowhere/paritysync.db");

    Run r = run("queue", "list", "--db", missing.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("paritysync: --db: no database at " + missing + "\n");
    assertThat(Files.exists(missing.getParent())).isFalse();
  }

  @Test
  void urlIsAnAlternativeToDb() {
    Run r = run("queue", "list", "--url", "jdbc:sqlite:" + f.file, "--queue", "dead-letter");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains(dead.id()).doesNotContain(conflict.id());

    Run both = run("queue", "list", "--url", "jdbc:sqlite:" + f.file, "--db", f.file.toString());
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).isEqualTo("paritysync: --db and --url are alternatives: give one\n");
  }

  @Test
  void badFilterValuesAreNamed() {
    Run queue = run("queue", "list", "--queue", "dead");
    assertThat(queue.code()).isEqualTo(2);
    assertThat(queue.err())
        .isEqualTo("paritysync: --queue: 'dead' is not a queue (dead-letter, reconciliation)\n");

    Run state = run("queue", "list", "--state", "closed");
    assertThat(state.code()).isEqualTo(2);
    assertThat(state.err())
        .isEqualTo(
            "paritysync: --state: 'closed' is not a state (open, replayed, discarded, all)\n");
  }

  @Test
  void aFileThatIsNotADatabaseIsOneLineAndExitOne() throws Exception {
    Path text = dir.resolve("notes.db");
    Files.writeString(text, "these are not the tables you are looking for\n".repeat(200));

    Run r = run("queue", "list", "--db", text.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("paritysync: ").contains(text.toString()).hasLineCount(1);
  }
}
