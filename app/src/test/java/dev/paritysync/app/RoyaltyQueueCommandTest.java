package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.royalty.lake.Lake;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code paritysync queue show} and {@code queue replay} on royalty dead letters, end to end: a
 * report ingested by {@code royalty ingest} into a real SQLite file and a real DuckDB lake.
 */
class RoyaltyQueueCommandTest {
  static final String CSV =
      "Sale Month,Store,Artist,Title,ISRC,UPC,Quantity,Country of Sale,Earnings (USD)\n"
          + "2024-03,S,A,T,USSM19803037,,1,US,0.10\n"
          + "2024-03,S,A,T,USSM19803037,,2,Mars,0.20\n"
          + "2024-03,S,A,T,BAD,,3,Mars,0.30\n"
          + "2024-03,S,A,\"T, \"\"live\"\"\",USSM19803037,,4,US,x\n";
  static final String FIXED =
      "sources:\n  distributor:\n    format: csv\n    territoryAliases: {Mars: US}\n";

  @TempDir Path dir;
  VirtualTime time = new VirtualTime(Instant.parse("2026-03-29T00:59:00Z"));

  record Run(int code, String out, String err) {}

  Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine(time);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--db", dir.resolve("store.db").toString()));
    int code = cl.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeEach
  void ingest() throws Exception {
    Path file = dir.resolve("sales.csv");
    Files.writeString(file, CSV);
    Files.writeString(dir.resolve("fixed.yaml"), FIXED);
    Run r =
        run(
            "royalty",
            "ingest",
            file.toString(),
            "--source",
            "distributor",
            "--lake",
            dir.resolve("lake").toString());
    assertThat(r.code()).as(r.err()).isZero();
  }

  String idOfLine(int line) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.db"));
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT id FROM queue_items WHERE subject = 'sales.csv:" + line + "'")) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  long lakeRows() {
    try (Lake lake = Lake.open(dir.resolve("lake"))) {
      return lake.count("distributor", "sales.csv");
    }
  }

  @Test
  void showPrintsTheRawLineAndTheValuesAsRead() throws Exception {
    Run r = run("queue", "show", idOfLine(3));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("reason       territory: ")
        .contains("row: source distributor, report sales.csv, line 3, field territory\n")
        .contains("    2024-03,S,A,T,USSM19803037,,2,Mars,0.20\n")
        .contains("    territory        Mars\n");
  }

  @Test
  void replayAfterAConfigurationFixWritesTheRowOnceAndClosesIt() throws Exception {
    String id = idOfLine(3);
    assertThat(lakeRows()).isEqualTo(1);
    String[] replay = {
      "queue",
      "replay",
      id,
      "--lake",
      dir.resolve("lake").toString(),
      "--config",
      dir.resolve("fixed.yaml").toString()
    };

    Run r = run(replay);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            id
                + "  dead-letter/distributor  sales.csv line 3: valid now, written to the lake with"
                + " report sales; closed\n"
                + "replayed 1 report row: 1 written to the lake, 0 still open\n");
    assertThat(lakeRows()).isEqualTo(2);
    assertThat(run("queue", "show", id).out())
        .contains("queue        dead-letter, replayed")
        .contains("queue.replayed")
        .contains("royalty.row.replayed");

    Run again = run(replay);
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).startsWith("paritysync: queue item " + id + " is already replayed");
    assertThat(lakeRows()).isEqualTo(2);
  }

  @Test
  void aRowStillInvalidStaysOpenWithTheNewReasonAndExit3() throws Exception {
    String id = idOfLine(4);
    Run r =
        run(
            "queue",
            "replay",
            id,
            "--lake",
            dir.resolve("lake").toString(),
            "--config",
            dir.resolve("fixed.yaml").toString());
    assertThat(r.code()).as(r.err()).isEqualTo(3);
    assertThat(r.out())
        .startsWith(
            id + "  dead-letter/distributor  sales.csv line 4: still invalid, stays open: isrc: ");
    assertThat(run("queue", "show", id).out())
        .contains("queue        dead-letter, open")
        .contains("reason       isrc: ");
    assertThat(lakeRows()).isEqualTo(1);
  }

  @Test
  void replayWithoutTheFixSaysItIsStillInvalidInsteadOfNamingABatch() throws Exception {
    Run r = run("queue", "replay", "--all", "--lake", dir.resolve("lake").toString());
    assertThat(r.code()).as(r.err()).isEqualTo(3);
    assertThat(r.out())
        .doesNotContain("names batch")
        .contains("sales.csv line 3: still invalid, stays open: territory: ")
        .contains("replayed 3 report rows: 0 written to the lake, 3 still open");
  }

  @Test
  void deadLettersAreListedFilteredAndExportedAsCsvWithTheirRawLine() throws Exception {
    Run all = run("royalty", "dead-letters", "--csv", "-");
    assertThat(all.code()).as(all.err()).isZero();
    List<String> lines = all.out().lines().toList();
    assertThat(all.out()).contains("\r\n");
    assertThat(lines.get(0)).isEqualTo("id,state,entered,source,report,line,field,reason,raw_line");
    assertThat(lines).hasSize(4);
    assertThat(lines.get(1))
        .startsWith(idOfLine(3) + ",open,2026-03-29T00:59:00Z,distributor,sales.csv,3,territory,")
        .endsWith(",\"2024-03,S,A,T,USSM19803037,,2,Mars,0.20\"");
    assertThat(lines.get(3))
        .startsWith(idOfLine(5) + ",open,2026-03-29T00:59:00Z,distributor,sales.csv,5,amount,")
        .endsWith(",\"2024-03,S,A,\"\"T, \"\"\"\"live\"\"\"\"\"\",USSM19803037,,4,US,x\"");

    assertThat(run("royalty", "dead-letters", "--field", "amount", "--csv", "-").out().lines())
        .hasSize(2);
    assertThat(run("royalty", "dead-letters", "--reason", "MARS", "--csv", "-").out().lines())
        .hasSize(3);
    assertThat(run("royalty", "dead-letters", "--period", "2024-03", "--csv", "-").out().lines())
        .hasSize(4);
    assertThat(run("royalty", "dead-letters", "--period", "2024-04").out())
        .isEqualTo(
            "id\tstate\tentered\tsource\treport\tline\tfield\treason\traw_line\nno dead letters\n");
    assertThat(run("royalty", "dead-letters", "--report", "other.csv").out())
        .endsWith("no dead letters\n");
    assertThat(run("royalty", "dead-letters", "--source", "distributor").out().lines())
        .hasSize(4)
        .element(1)
        .asString()
        .contains("\tsales.csv\t3\tterritory\t");

    Path file = dir.resolve("dead.csv");
    Run toFile = run("royalty", "dead-letters", "--field", "territory", "--csv", file.toString());
    assertThat(toFile.err()).isEqualTo("2 dead letters written to " + file + "\n");
    assertThat(Files.readAllLines(file)).hasSize(3);

    Run bad = run("royalty", "dead-letters", "--period", "2024-3");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).isEqualTo("paritysync: --period: '2024-3' is not YYYY-MM\n");
  }
}
