package dev.paritysync.royalty.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.royalty.SaleType;
import dev.paritysync.royalty.SalesRow;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lake against a real DuckDB writing real Parquet files in a temporary directory. */
class LakeTest {
  @TempDir Path dir;
  Lake lake;

  @BeforeEach
  void open() {
    lake = Lake.open(dir.resolve("lake"));
  }

  @AfterEach
  void close() {
    lake.close();
  }

  static SalesRow row(String report, long n, String territory, String month, String amount) {
    LocalDate start = YearMonth.parse(month).atDay(1);
    return new SalesRow(
        "spotify",
        report,
        n,
        start,
        start.plusMonths(1).minusDays(1),
        YearMonth.parse(month),
        territory,
        "USSM19803037",
        n % 2 == 0 ? null : "00036000291452",
        "Title " + n,
        "Artist",
        "SubscriptionService",
        "Stream",
        n,
        new BigDecimal(amount),
        "EUR",
        amount.startsWith("-") ? SaleType.RETURN : SaleType.SALE,
        n == 1 ? List.of("isrc: removed hyphens") : List.of());
  }

  static Iterator<SalesRow> rows(String report, int count) {
    List<SalesRow> out = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      out.add(row(report, i, i % 2 == 0 ? "GB" : "DE", i % 3 == 0 ? "2024-02" : "2024-01", "0.5"));
    }
    return out.iterator();
  }

  List<Path> files(String suffix) throws IOException {
    try (Stream<Path> all = Files.walk(lake.root().resolve("sales"))) {
      return all.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  @Test
  void rowsLandInHivePartitionsInFilesNamedByTheReportKey() throws IOException {
    long written = lake.replaceReport("spotify", "r1.tsv", rows("r1.tsv", 12));

    assertThat(written).isEqualTo(12);
    String key = Lake.reportKey("spotify", "r1.tsv");
    assertThat(key).hasSize(16).matches("[0-9a-f]+");
    assertThat(files(".parquet"))
        .extracting(p -> lake.root().relativize(p.getParent()).toString())
        .containsExactlyInAnyOrder(
            "sales/source=spotify/territory=DE/period=2024-01",
            "sales/source=spotify/territory=DE/period=2024-02",
            "sales/source=spotify/territory=GB/period=2024-01",
            "sales/source=spotify/territory=GB/period=2024-02");
    assertThat(files(".parquet"))
        .allSatisfy(p -> assertThat(p.getFileName().toString()).startsWith("r-" + key + "-"));
    assertThat(files(".new")).isEmpty();
    assertThat(lake.count("spotify", "r1.tsv")).isEqualTo(12);
    assertThat(lake.count("spotify")).isEqualTo(12);
  }

  @Test
  void columnsFollowTheSharedLayout() {
    lake.replaceReport(
        "spotify",
        "r.tsv",
        List.of(row("r.tsv", 1, "DE", "2024-03", "1.25"), row("r.tsv", 2, "DE", "2024-03", "-2"))
            .iterator());

    List<Map<String, Object>> rows =
        lake.query(
            "SELECT row_number, upc, amount::VARCHAR AS amount, sale_type, source, territory,"
                + " period, period_start::VARCHAR AS start, array_to_string(normalisations, ';')"
                + " AS norm FROM sales ORDER BY row_number");
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0))
        .containsEntry("upc", "00036000291452")
        .containsEntry("amount", "1.250000")
        .containsEntry("sale_type", "SALE")
        .containsEntry("source", "spotify")
        .containsEntry("territory", "DE")
        .containsEntry("period", "2024-03")
        .containsEntry("start", "2024-03-01")
        .containsEntry("norm", "isrc: removed hyphens");
    assertThat(rows.get(1))
        .containsEntry("upc", null)
        .containsEntry("amount", "-2.000000")
        .containsEntry("sale_type", "RETURN");
  }

  @Test
  void ingestingAReportAgainReplacesItsRowsAndLeavesOtherReportsAlone() {
    lake.replaceReport("spotify", "a.tsv", rows("a.tsv", 30));
    lake.replaceReport("spotify", "b.tsv", rows("b.tsv", 5));

    lake.replaceReport("spotify", "a.tsv", rows("a.tsv", 7));

    assertThat(lake.count("spotify", "a.tsv")).isEqualTo(7);
    assertThat(lake.count("spotify", "b.tsv")).isEqualTo(5);
    assertThat(
            lake.query(
                "SELECT count(*) AS n FROM (SELECT report, row_number FROM sales"
                    + " GROUP BY ALL HAVING count(*) > 1)"))
        .containsExactly(Map.of("n", 0L));
  }

  @Test
  void textWithQuotesSeparatorsLineBreaksAndSpacesComesBackAsWritten() {
    String[] texts = {
      "",
      " padded ",
      "a,b",
      "say \"hi\"",
      "\"",
      "\"\"",
      "two\nlines",
      "crlf\r\nend",
      "tab\there",
      "Ünïcødé 日本 🎵",
      "\\back\\slash",
      "NULL",
      "\u001f"
    };
    List<SalesRow> rows = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      SalesRow r = row("t.tsv", i + 1, "DE", "2024-01", "-1.5");
      rows.add(
          new SalesRow(
              r.source(),
              r.report(),
              r.rowNumber(),
              r.periodStart(),
              r.periodEnd(),
              r.partitionMonth(),
              r.territory(),
              r.isrc(),
              texts[i].isEmpty() ? null : "00036000291452",
              texts[i],
              texts[texts.length - 1 - i],
              texts[i],
              texts[i],
              r.quantity(),
              r.amount(),
              r.currency(),
              r.saleType(),
              List.of(texts[i] + "x", "second")));
    }

    lake.replaceReport("spotify", "t.tsv", rows.iterator());

    List<Map<String, Object>> back =
        lake.query(
            "SELECT title, artist, commercial_model, use_type, upc IS NULL AS no_upc,"
                + " normalisations[1] AS n1, len(normalisations) AS nn FROM sales"
                + " ORDER BY row_number");
    assertThat(back).hasSize(texts.length);
    for (int i = 0; i < texts.length; i++) {
      assertThat(back.get(i))
          .as("row %d", i + 1)
          .containsEntry("title", texts[i])
          .containsEntry("artist", texts[texts.length - 1 - i])
          .containsEntry("commercial_model", texts[i])
          .containsEntry("use_type", texts[i])
          .containsEntry("no_upc", texts[i].isEmpty())
          .containsEntry("n1", texts[i].replace("\u001f", " ") + "x")
          .containsEntry("nn", 2L);
    }
  }

  @Test
  void aSmallMemoryLimitWritesThePartitionsInSlicesWithEveryRowOnce() throws IOException {
    try (Lake small = Lake.open(dir.resolve("small"), "16MB")) { // two partitions per COPY
      List<SalesRow> rows = new ArrayList<>();
      String[] territories = {"DE", "GB", "US", "FR", "JP"};
      for (int i = 1; i <= 500; i++) {
        rows.add(row("a.tsv", i, territories[i % 5], "2024-0" + (1 + i % 3), "0.5"));
      }

      small.replaceReport("spotify", "a.tsv", rows.iterator());

      assertThat(small.count("spotify", "a.tsv")).isEqualTo(500);
      assertThat(
              small.query(
                  "SELECT count(DISTINCT row_number) AS n, count(DISTINCT (territory, period)) AS p"
                      + " FROM sales"))
          .containsExactly(Map.of("n", 500L, "p", 15L));
    }
  }

  @Test
  void partitionsBeyondTheOpenFileLimitShareStagingFilesAndEveryRowLandsInItsOwnPartition()
      throws IOException {
    try (Lake small = Lake.open(dir.resolve("shared"), "16MB")) { // two partitions per COPY
      small.maxStagingFiles = 2; // 15 partitions: 2 files of their own... then shared
      List<SalesRow> rows = new ArrayList<>();
      String[] territories = {"DE", "GB", "US", "FR", "JP"};
      for (int i = 1; i <= 500; i++) {
        rows.add(row("a.tsv", i, territories[i % 5], "2024-0" + (1 + i % 3), "0.5"));
      }

      small.replaceReport("spotify", "a.tsv", rows.iterator());

      assertThat(
              small.query(
                  "SELECT count(*) AS rows, count(DISTINCT row_number) AS n,"
                      + " count(DISTINCT (territory, period)) AS p, count(*) FILTER (WHERE period"
                      + " <> '2024-0' || (1 + row_number % 3) OR territory <> ['DE', 'GB', 'US',"
                      + " 'FR', 'JP'][1 + row_number % 5]) AS misplaced FROM sales"))
          .containsExactly(Map.of("rows", 500L, "n", 500L, "p", 15L, "misplaced", 0L));
    }
  }

  @Test
  void anEmptyReportOfASourceNeverWrittenLeavesTheLakeEmpty() {
    assertThat(lake.replaceReport("deezer", "none.csv", rows("none.csv", 0))).isZero();

    assertThat(lake.count("deezer")).isZero();
  }

  @Test
  void anEmptyReportRemovesTheReportsRows() {
    lake.replaceReport("spotify", "a.tsv", rows("a.tsv", 4));

    assertThat(lake.replaceReport("spotify", "a.tsv", List.<SalesRow>of().iterator())).isZero();

    assertThat(lake.count("spotify", "a.tsv")).isZero();
  }

  @Test
  void aWriterClosedWithoutCommitLeavesTheLakeAsItWas() throws IOException {
    lake.replaceReport("spotify", "a.tsv", rows("a.tsv", 4));
    List<Path> before = files(".parquet");

    try (ReportWriter w = lake.begin("spotify", "a.tsv")) {
      rows("a.tsv", 9).forEachRemaining(w);
    }

    assertThat(files(".parquet")).isEqualTo(before);
    assertThat(lake.count("spotify", "a.tsv")).isEqualTo(4);
  }

  @Test
  void filesLeftByACrashBeforeTheSwapAreInvisibleAndTheNextRunRemovesThem() throws IOException {
    lake.replaceReport("spotify", "a.tsv", rows("a.tsv", 6));
    // a run that crashed after writing its new files: copies named *.parquet.new
    for (Path p : files(".parquet")) {
      Files.copy(
          p, p.resolveSibling(p.getFileName().toString().replace(".parquet", "-x.parquet.new")));
    }
    assertThat(lake.count("spotify", "a.tsv")).as("readers skip .new files").isEqualTo(6);

    lake.replaceReport("spotify", "a.tsv", rows("a.tsv", 6));

    assertThat(files(".new")).isEmpty();
    assertThat(lake.count("spotify", "a.tsv")).isEqualTo(6);
  }

  @Test
  void aSwapACrashInterruptedIsFinishedWhenTheLakeIsNextOpened() throws IOException {
    lake.replaceReport("spotify", "a.tsv", rows("a.tsv", 12));
    List<Path> old = files(".parquet");
    // the new report (5 rows, other amounts), written as .new files beside the old ones
    try (Lake other = Lake.open(dir.resolve("other"))) {
      Iterator<SalesRow> fresh =
          List.of(
                  row("a.tsv", 1, "DE", "2024-01", "2.5"),
                  row("a.tsv", 2, "GB", "2024-01", "2.5"),
                  row("a.tsv", 3, "DE", "2024-03", "2.5"),
                  row("a.tsv", 4, "GB", "2024-03", "2.5"),
                  row("a.tsv", 5, "FR", "2024-03", "2.5"))
              .iterator();
      other.replaceReport("spotify", "a.tsv", fresh);
      Path from = other.root().resolve("sales");
      try (Stream<Path> all = Files.walk(from)) {
        for (Path p : all.filter(p -> p.toString().endsWith(".parquet")).toList()) {
          Path to = lake.root().resolve("sales").resolve(from.relativize(p) + ".new");
          Files.createDirectories(to.getParent());
          Files.copy(p, to);
        }
      }
    }
    Path source = lake.root().resolve("sales").resolve("source=spotify");
    String prefix = "r-" + Lake.reportKey("spotify", "a.tsv") + "-";
    // the commit point passed, then the process died half-way through the swap: one old file
    // deleted, one new file renamed
    Path journal = Replacement.journal(source, prefix);
    Files.delete(old.get(0));
    Path renamed = files(".new").get(0);
    Files.move(
        renamed, renamed.resolveSibling(renamed.getFileName().toString().replace(".new", "")));
    lake.close();

    lake = Lake.open(dir.resolve("lake"));

    assertThat(journal).doesNotExist();
    assertThat(files(".new")).isEmpty();
    assertThat(lake.count("spotify", "a.tsv")).isEqualTo(5);
    assertThat(lake.query("SELECT sum(amount) AS s FROM sales").get(0).get("s"))
        .isEqualTo(new BigDecimal("12.500000"));
    assertThat(Lake.recover(lake.root())).as("nothing left to finish").isZero();
  }

  @Test
  void aJournalThatNamesAFileOutsideItsDirectoryIsRefused() throws IOException {
    lake.replaceReport("spotify", "a.tsv", rows("a.tsv", 4));
    Path source = lake.root().resolve("sales").resolve("source=spotify");
    String prefix = "r-" + Lake.reportKey("spotify", "a.tsv") + "-";
    Files.writeString(
        source.resolve("_replace-" + prefix + ".json"),
        "{\"prefix\": \"" + prefix + "\", \"files\": [\"../../elsewhere.parquet\"]}");

    assertThatThrownBy(() -> Lake.recover(lake.root()))
        .hasMessageContaining("_replace-" + prefix + ".json names ../../elsewhere.parquet");
    assertThat(lake.count("spotify", "a.tsv")).as("nothing was deleted").isEqualTo(4);
  }

  @Test
  void amountsBeyondSixDecimalsAreRoundedAndSaySo() {
    lake.replaceReport(
        "spotify", "a.tsv", List.of(row("a.tsv", 2, "DE", "2024-01", "0.0000125")).iterator());

    assertThat(
            lake.query(
                "SELECT amount::VARCHAR AS a, array_to_string(normalisations, ';') AS n FROM"
                    + " sales"))
        .containsExactly(Map.of("a", "0.000012", "n", "amount: rounded 0.0000125 to 6 decimals"));
  }

  @Test
  void anEmptyLakeAnswersQueries() {
    assertThat(lake.count("spotify")).isZero();
    assertThat(lake.query("SELECT count(*) AS n FROM sales")).containsExactly(Map.of("n", 0L));
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(() -> lake.begin("../evil", "a.tsv"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("source '../evil': a lake source name is letters, digits, '_', '.' or '-'");
    assertThatThrownBy(() -> Lake.open(dir.resolve("x"), "lots"))
        .hasMessage("lake memory limit: 'lots' is not a size such as 128MB");
    try (ReportWriter w = lake.begin("spotify", "a.tsv")) {
      assertThatThrownBy(() -> w.accept(row("b.tsv", 1, "DE", "2024-01", "1")))
          .hasMessage("row 1 is of spotify/b.tsv, not of spotify/a.tsv");
    }
    assertThatThrownBy(() -> lake.query("SELECT nope FROM sales"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("lake query failed: ");
  }
}
