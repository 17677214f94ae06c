package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.royalty.drift.DriftRuns;
import dev.paritysync.royalty.drift.Rule;
import dev.paritysync.store.Database;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code paritysync royalty catalog load} and {@code royalty drift} end to end: a lake written by
 * DuckDB in the shared layout, a catalog CSV, reports on disk.
 */
class RoyaltyDriftCommandTest {
  @TempDir Path dir;
  Path lake;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    return run(Clock.system(), args);
  }

  static Run run(Clock clock, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine(clock);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeEach
  void writeLake() throws Exception {
    lake = dir.resolve("lake");
    Files.createDirectories(lake.resolve("sales"));
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute(
          "COPY (SELECT source, territory, period, 'r.csv' AS report, row_number::BIGINT AS"
              + " row_number, (period || '-01')::DATE AS period_start, last_day((period ||"
              + " '-01')::DATE) AS period_end, isrc, upc, 'T' AS title, 'A' AS artist,"
              + " 'SubscriptionModel' AS commercial_model, 'Stream' AS use_type,"
              + " quantity::BIGINT AS quantity, amount::DECIMAL(18, 6) AS amount, 'EUR' AS"
              + " currency, sale_type, []::VARCHAR[] AS normalisations FROM (VALUES"
              + " ('dsp', 'DE', '2024-05', 1, 'DEAAA2400001', '00060244579014', 100, 0.40,"
              + " 'SALE'),"
              + " ('dsp', 'DE', '2024-06', 1, 'DEAAA2400001', '00060244579014', 100, 0.40,"
              + " 'SALE'),"
              + " ('dsp', 'DE', '2024-06', 2, 'USZZZ2400009', NULL, 50, 0.20, 'SALE'),"
              + " ('dsp', 'DE', '2024-06', 3, 'DEAAA2400001', '00060244579014', 0, -0.40,"
              + " 'RETURN'))"
              + " t(source, territory, period, row_number, isrc, upc, quantity, amount,"
              + " sale_type)) TO '"
              + lake.resolve("sales")
              + "' (FORMAT parquet, PARTITION_BY (source, territory, period),"
              + " FILENAME_PATTERN 'r-0123456789abcdef-{i}')");
    }
  }

  Path catalog(String... rows) throws Exception {
    Path csv = dir.resolve("catalog.csv");
    Files.write(csv, List.of(rows));
    return csv;
  }

  @Test
  void loadsTheCatalogThenWritesJsonAndCsvReports() throws Exception {
    Path csv = catalog("isrc,upc,title,artist", "DE-AAA-24-00001,060244579014,T,A");

    Run load = run("royalty", "catalog", "load", csv.toString(), "--lake", lake.toString());

    assertThat(load.code()).isZero();
    assertThat(load.out()).contains("1 links from 1 rows, 0 rejected");
    assertThat(lake.resolve("catalog/catalog.parquet")).isRegularFile();

    Path out = dir.resolve("reports");
    Run drift =
        run(
            "royalty",
            "drift",
            "--lake",
            lake.toString(),
            "--period",
            "2024-06",
            "--out",
            out.toString());

    assertThat(drift.code()).isZero();
    assertThat(drift.err()).isEmpty();
    assertThat(drift.out())
        .contains("drift 2024-06: 3 rows checked, 1 finding")
        .contains("unknown_isrc         1")
        .contains("revenue per stream not judged for 1 group")
        .contains("unknown_isrc dsp/DE USZZZ2400009: ISRC not in the catalog")
        .contains("wrote " + out.resolve("drift-2024-06.json"))
        .contains("wrote " + out.resolve("drift-2024-06.csv"));
    JsonNode json = new ObjectMapper().readTree(out.resolve("drift-2024-06.json").toFile());
    assertThat(json.get("findings")).hasSize(1);
    assertThat(json.get("findings").get(0).get("isrc").asText()).isEqualTo("USZZZ2400009");
    assertThat(Files.readAllLines(out.resolve("drift-2024-06.csv")))
        .hasSize(2)
        .element(1)
        .asString()
        .startsWith("unknown_isrc,dsp,2024-06,DE,,USZZZ2400009,,");
  }

  @Test
  void withDbTheCountsAndTopFindingsAreKeptAndAnotherCheckOfThePeriodReplacesThem()
      throws Exception {
    Path csv = catalog("isrc,upc,title,artist", "DE-AAA-24-00001,060244579014,T,A");
    assertThat(run("royalty", "catalog", "load", csv.toString(), "--lake", lake.toString()).code())
        .isZero();
    VirtualTime time = new VirtualTime(Instant.parse("2026-03-01T00:00:00Z"));
    Path db = dir.resolve("store.db");
    String[] args = {
      "royalty",
      "drift",
      "--lake",
      lake.toString(),
      "--period",
      "2024-06",
      "--out",
      dir.resolve("reports").toString(),
      "--db",
      db.toString()
    };

    Run first = run(time, args);
    time.advance(Duration.ofHours(1));
    Run second = run(time, args);

    assertThat(first.code()).as(first.err()).isZero();
    assertThat(second.out()).contains("kept the counts and top findings in jdbc:sqlite:" + db);
    try (Database store = Database.open(RoyaltyCommand.database(db, null, 1))) {
      List<DriftRuns.Run> runs = store.read(c -> DriftRuns.latest(c, 10));
      assertThat(runs).hasSize(1);
      DriftRuns.Run run = runs.get(0);
      assertThat(run.period()).hasToString("2024-06");
      assertThat(run.checkedAt()).isEqualTo(Instant.parse("2026-03-01T01:00:00Z"));
      assertThat(run.rowsChecked()).isEqualTo(3);
      assertThat(run.findings()).isEqualTo(1);
      assertThat(run.notJudged()).isEqualTo(1);
      assertThat(run.counts())
          .containsEntry(Rule.UNKNOWN_ISRC, 1L)
          .containsEntry(Rule.ZERO_REVENUE, 0L);
      assertThat(run.files())
          .containsExactly(
              dir.resolve("reports/drift-2024-06.json").toString(),
              dir.resolve("reports/drift-2024-06.csv").toString());
      assertThat(run.top()).hasSize(1);
      assertThat(run.top().get(0).isrc()).isEqualTo("USZZZ2400009");
      assertThat(run.top().get(0).amount()).isEqualByComparingTo("0.20");
    }
  }

  @Test
  void aLongCheckShowsItsStepsOnStandardError() throws Exception {
    Path csv = catalog("isrc,upc,title,artist", "DE-AAA-24-00001,060244579014,T,A");
    assertThat(run("royalty", "catalog", "load", csv.toString(), "--lake", lake.toString()).code())
        .isZero();
    // every reading of this clock is 6 s after the last: each step outlasts the 5 s interval at
    // which progress is logged when standard error is not a terminal
    VirtualTime time = new VirtualTime(Instant.parse("2026-03-01T00:00:00Z"));
    Clock slow =
        new Clock() {
          @Override
          public Instant instant() {
            return time.instant();
          }

          @Override
          public long nanoTime() {
            time.advance(Duration.ofSeconds(6));
            return time.nanoTime();
          }
        };

    Run drift =
        run(
            slow,
            "royalty",
            "drift",
            "--lake",
            lake.toString(),
            "--period",
            "2024-06",
            "--out",
            dir.resolve("reports").toString());

    assertThat(drift.code()).isZero();
    assertThat(drift.err().lines())
        .containsSubsequence(
            "drift 2024-06: opening the lake",
            "drift 2024-06: counting the period's rows",
            "drift 2024-06: 3 rows; running the rules",
            "drift 2024-06: 3 rows; findings 1, done");
    assertThat(drift.out()).contains("drift 2024-06: 3 rows checked, 1 finding");
  }

  @Test
  void rejectedCatalogRowsAreListedByLineWithExitCode3() throws Exception {
    Path csv =
        catalog("isrc,upc,title,artist", "DEAAA2400001,,T,A", "not-an-isrc,,T,A", "DEAAA2400002");

    Run load = run("royalty", "catalog", "load", csv.toString(), "--lake", lake.toString());

    assertThat(load.code()).isEqualTo(3);
    assertThat(load.err())
        .contains("catalog.csv: line 3: isrc: ISRC 'not-an-isrc' is not")
        .contains("catalog.csv: line 4: row: has 1 cells");
    assertThat(load.out()).contains("1 links from 3 rows, 2 rejected");
  }

  @Test
  void configFileSetsThresholdsAndFormatPicksFiles() throws Exception {
    run(
        "royalty",
        "catalog",
        "load",
        catalog("isrc,upc,title,artist", "DEAAA2400001,,T,A", "USZZZ2400009,,T,A").toString(),
        "--lake",
        lake.toString());
    Path config = dir.resolve("paritysync.yaml");
    Files.writeString(
        config,
        "sources: {}\n"
            + "drift:\n"
            + "  revenuePerStream: {trailingPeriods: 1, minPeriods: 1}\n"
            + "  volume: {factor: 2}\n");

    Run drift =
        run(
            "royalty",
            "drift",
            "--lake",
            lake.toString(),
            "--period",
            "2024-06",
            "--config",
            config.toString(),
            "--format",
            "csv",
            "--out",
            dir.toString());

    assertThat(drift.code()).isZero();
    assertThat(drift.out()).contains("0 findings").doesNotContain("not judged");
    assertThat(dir.resolve("drift-2024-06.csv")).isRegularFile();
    assertThat(dir.resolve("drift-2024-06.json")).doesNotExist();
  }

  @Test
  void missingCatalogOrLakeIsExitCode1WithAClearMessage() {
    Run noCatalog =
        run(
            "royalty",
            "drift",
            "--lake",
            lake.toString(),
            "--period",
            "2024-06",
            "--out",
            dir.toString());
    Run noLake =
        run(
            "royalty",
            "drift",
            "--lake",
            dir.resolve("none").toString(),
            "--period",
            "2024-06",
            "--out",
            dir.resolve("out").toString());

    assertThat(noCatalog.code()).isEqualTo(1);
    assertThat(noCatalog.err().strip())
        .startsWith("paritysync: lake " + lake + " has no catalog at")
        .doesNotContain("\n");
    assertThat(dir.resolve("out")).doesNotExist(); // no partial report
    assertThat(noLake.code()).isEqualTo(1);
    assertThat(noLake.err().strip())
        .isEqualTo("paritysync: lake " + dir.resolve("none") + " is not a directory");
  }

  @Test
  void badInputIsExitCode2NamingTheOption() throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, "drift: {volume: {factor: 1}}\n");

    Run period =
        run(
            "royalty",
            "drift",
            "--lake",
            lake.toString(),
            "--period",
            "2024-13",
            "--out",
            dir.toString());
    Run format =
        run(
            "royalty",
            "drift",
            "--lake",
            lake.toString(),
            "--period",
            "2024-06",
            "--format",
            "xml",
            "--out",
            dir.toString());
    Run cfg =
        run(
            "royalty",
            "drift",
            "--lake",
            lake.toString(),
            "--period",
            "2024-06",
            "--config",
            config.toString(),
            "--out",
            dir.toString());

    assertThat(period.code()).isEqualTo(2);
    assertThat(period.err().strip())
        .isEqualTo("paritysync: --period: '2024-13' is not a month (YYYY-MM)");
    assertThat(format.code()).isEqualTo(2);
    assertThat(format.err().strip())
        .isEqualTo("paritysync: --format: 'xml' is not a report format (json, csv)");
    assertThat(cfg.code()).isEqualTo(2);
    assertThat(cfg.err().strip())
        .isEqualTo("paritysync: " + config + ": drift.volume.factor: must be above 1, was 1.0");
  }
}
