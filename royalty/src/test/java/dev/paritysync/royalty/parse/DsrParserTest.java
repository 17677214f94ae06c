package dev.paritysync.royalty.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.royalty.Field;
import dev.paritysync.royalty.RawRow;
import dev.paritysync.royalty.SourceConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class DsrParserTest {
  private static final SourceConfig DSR = SourceConfig.defaults("dsp", SourceConfig.Format.DSR);

  private final List<String> warnings = new ArrayList<>();

  /** A small valid DSR: HEAD, headings, one SY, the given block lines, a correct FOOT. */
  static String dsr(String... blockLines) {
    List<String> lines = new ArrayList<>();
    lines.add("HEAD\tdsrf/30\tUGCProfile\t1.0\tM1\t2016-01-21T15:09:26Z\t2015-02-01\t2015-02-28");
    lines.add(
        "#HEAD\tMessageVersion\tProfile\tProfileVersion\tMessageId\tMessageCreatedDateTime"
            + "\tUsageStartDate\tUsageEndDate");
    lines.add("# a comment, not a heading");
    lines.add("#SY02.01\tSummaryRecordId\tCommercialModel\tUseType\tTerritory\tCurrency");
    lines.add("#AS01\tBlockId\tResourceReference\tISRC\tTitle\tDisplayArtistName");
    lines.add("#RE01\tBlockId\tReleaseReference\tICPN");
    lines.add(
        "#SU03.01\tBlockId\tSummaryRecordId\tUsages\tNetRevenue\tValidityPeriodStart"
            + "\tValidityPeriodEnd");
    lines.add("#FOOT\tNumberOfLinesInFile\tNumberOfSummaryRecords\tNumberOfBlocksInFile");
    lines.add("SY02.01\t1\tSubscriptionModel\tStream\tWW\tEUR");
    lines.addAll(List.of(blockLines));
    java.util.Set<String> blocks = new java.util.HashSet<>();
    for (String l : blockLines) {
      blocks.add(l.split("\t")[1]);
    }
    lines.add("FOOT\t" + (lines.size() + 1) + "\t1\t" + blocks.size());
    return String.join("\n", lines) + "\n";
  }

  private List<RawRow> read(byte[] bytes, Strictness strictness) throws IOException {
    List<RawRow> rows = new ArrayList<>();
    try (RowCursor cursor =
        ReportParser.open(
            new ByteArrayInputStream(bytes),
            "r.tsv",
            DSR,
            strictness,
            w -> warnings.add(w.toString()))) {
      cursor.forEachRemaining(rows::add);
    }
    return rows;
  }

  private List<RawRow> read(String text, Strictness strictness) throws IOException {
    return read(text.getBytes(StandardCharsets.UTF_8), strictness);
  }

  @Test
  void joinsSalesWithTheirBlockTheSummaryAndTheHead() throws IOException {
    String text =
        dsr(
            "AS01\t1\tR1\tUSSM19803037\tSexual Healing\tMarvin Gaye",
            "RE01\t1\tREL1\t036000291452",
            "SU03.01\t1\t1\t10\t1.50\t\t",
            "SU03.01\t1\t1\t5\t0.75\t2015-02-03\t2015-02-04");
    List<RawRow> rows = read(text, Strictness.STRICT);

    assertThat(warnings).isEmpty();
    assertThat(rows).hasSize(2);
    RawRow a = rows.get(0);
    assertThat(a.rowNumber()).isEqualTo(12);
    assertThat(a.get(Field.ISRC)).isEqualTo("USSM19803037");
    assertThat(a.get(Field.UPC)).isEqualTo("036000291452");
    assertThat(a.get(Field.TERRITORY)).isEqualTo("WW");
    assertThat(a.get(Field.CURRENCY)).isEqualTo("EUR");
    assertThat(a.get(Field.COMMERCIAL_MODEL)).isEqualTo("SubscriptionModel");
    assertThat(a.get(Field.PERIOD_START)).as("falls back to the HEAD").isEqualTo("2015-02-01");
    assertThat(a.get(Field.PERIOD_END)).isEqualTo("2015-02-28");
    assertThat(rows.get(1).get(Field.PERIOD_START)).isEqualTo("2015-02-03");
    assertThat(a.excerpt()).startsWith("SU03.01\t1\t1\t10");
  }

  @Test
  void unescapesTabsPipesAndBackslashesAndJoinsMultipleValues() throws IOException {
    String text =
        dsr(
            "AS01\t1\tR1\tUSSM19803037\tTab\\there \\| pipe \\\\ slash\\\ttab\tA|B|C\\|D",
            "SU03.01\t1\t1\t10\t1.50\t2015-02\t2015-02");
    RawRow row = read(text, Strictness.STRICT).get(0);

    assertThat(row.get(Field.TITLE)).isEqualTo("Tab\there | pipe \\ slash\ttab");
    assertThat(row.get(Field.ARTIST)).isEqualTo("A, B, C|D");
  }

  @Test
  void splitsCellsOnlyAtUnescapedTabs() {
    assertThat(DsrCells.split("a\\\tb\tc\\\\\td")).containsExactly("a\\\tb", "c\\\\", "d");
    assertThat(DsrCells.values("x|y\\|z|")).containsExactly("x", "y|z", "");
    assertThat(DsrCells.values("")).isEmpty();
  }

  @Test
  void readsCrlfAndGzip() throws IOException {
    String text = dsr("AS01\t1\tR1\tUSSM19803037\tT\tA", "SU03.01\t1\t1\t10\t1.50\t\t");
    assertThat(read(text.replace("\n", "\r\n"), Strictness.STRICT)).hasSize(1);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    List<RawRow> rows = read(gz.toByteArray(), Strictness.STRICT);
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get(Field.ISRC)).isEqualTo("USSM19803037");
    assertThat(warnings).isEmpty();
  }

  @Test
  void paddedRowsAreRejectedStrictlyAndReportedLeniently() throws IOException {
    String text = dsr("AS01\t1\tR1\tUSSM19803037\tT\tA\t\t", "SU03.01\t1\t1\t10\t1.50\t\t");
    assertThatThrownBy(() -> read(text, Strictness.STRICT))
        .hasMessage("r.tsv:10: padded row: AS01 has 8 cells; heading #AS01 on line 5 has 6");
    assertThat(read(text, Strictness.LENIENT)).hasSize(1);
    assertThat(warnings)
        .containsExactly("r.tsv:10: padded row: AS01 has 8 cells; heading #AS01 on line 5 has 6");
  }

  @Test
  void raggedRowsAreReadLenientlyWithMissingCellsAbsentAndExtraCellsADefect() throws IOException {
    String text = dsr("AS01\t1\tR1\tUSSM19803037", "SU03.01\t1\t1\t10\t1.50\t\t\tx");
    List<RawRow> rows = read(text, Strictness.LENIENT);
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get(Field.TITLE)).isNull();
    assertThat(rows.get(0).defect())
        .isEqualTo(
            new RawRow.Defect(
                "SU03.01",
                "line 11: SU03.01 has 8 cells; heading #SU03.01 on line 7 has 7: its fields are"
                    + " shifted",
                "SU03.01\t1\t1\t10\t1.50\t\t\tx"));
    assertThat(warnings)
        .containsExactly(
            "r.tsv:10: ragged row: AS01 has 4 cells; heading #AS01 on line 5 has 6",
            "r.tsv:11: ragged row: SU03.01 has 8 cells; heading #SU03.01 on line 7 has 7");
  }

  @Test
  void footCountsAreChecked() throws IOException {
    String text =
        dsr("AS01\t1\tR1\tUSSM19803037\tT\tA", "SU03.01\t1\t1\t10\t1.50\t\t")
            .replace("FOOT\t12\t1\t1", "FOOT\t12\t2\t5");
    assertThatThrownBy(() -> read(text, Strictness.STRICT))
        .isInstanceOf(ReportFormatException.class)
        .hasMessage("r.tsv:12: FOOT NumberOfSummaryRecords says 2 summary records; the file has 1");
    assertThat(read(text, Strictness.LENIENT)).hasSize(1);
    assertThat(warnings)
        .containsExactly(
            "r.tsv:12: FOOT NumberOfSummaryRecords says 2 summary records; the file has 1",
            "r.tsv:12: FOOT NumberOfBlocksInFile says 5 blocks in the file; the file has 1");
  }

  @Test
  void blankLinesAndRecordsAfterFootAreDefects() throws IOException {
    String text = dsr("AS01\t1\tR1\tUSSM19803037\tT\tA", "SU03.01\t1\t1\t10\t1.50\t\t");
    String broken = text + "\nSU03.01\t2\t1\t1\t1\t\t\n";
    read(broken, Strictness.LENIENT);
    assertThat(warnings)
        .containsExactly("r.tsv:13: blank line", "r.tsv:14: record SU03.01 after FOOT");
  }

  @Test
  void columnNamesMatchIgnoringCase() throws IOException {
    String text =
        dsr("AS01\t1\tR1\tUSSM19803037\tT\tA", "SU03.01\t1\t1\t10\t1.50\t\t")
            .replace(
                "#SU03.01\tBlockId\tSummaryRecordId\tUsages",
                "#SU03.01\tBlockId\tSummaryRecordId\tUSAGES");
    assertThat(read(text, Strictness.STRICT).get(0).get(Field.QUANTITY)).isEqualTo("10");
  }
}
