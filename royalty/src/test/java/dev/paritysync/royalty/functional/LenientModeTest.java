package dev.paritysync.royalty.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.royalty.DeadLetterRow;
import dev.paritysync.royalty.ReportIngest;
import dev.paritysync.royalty.RunSummary;
import dev.paritysync.royalty.SalesRow;
import dev.paritysync.royalty.SourceConfig;
import dev.paritysync.royalty.parse.ReportFormatException;
import dev.paritysync.royalty.parse.Strictness;
import dev.paritysync.royalty.testing.SharedFixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Lenient means tolerant of form, never of meaning: padding and missing trailing cells are read, a
 * record with more fields than its type allows is a dead letter, and a file that is not a report of
 * the source's format is refused in both modes.
 */
class LenientModeTest {
  private static final SourceConfig DSR = SourceConfig.defaults("youtube", SourceConfig.Format.DSR);
  private static final SourceConfig CSV =
      SourceConfig.defaults("distributor", SourceConfig.Format.CSV);
  private static final SourceConfig APPLE =
      SourceConfig.defaults("apple", SourceConfig.Format.APPLE);

  private final List<SalesRow> rows = new ArrayList<>();
  private final List<DeadLetterRow> dead = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  private RunSummary ingest(String text, String name, SourceConfig config, Strictness strictness)
      throws IOException {
    return ingest(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), name, config, strictness);
  }

  private RunSummary ingest(InputStream in, String name, SourceConfig config, Strictness s)
      throws IOException {
    return ReportIngest.ingest(
        in, name, config, s, rows::add, dead::add, w -> warnings.add(w.toString()));
  }

  /** A small DSR: HEAD, headings, one SY, one block of {@code as} and an SU, a correct FOOT. */
  static String dsr(String as) {
    return String.join(
            "\n",
            "HEAD\tdsrf/30\tUGCProfile\t1.0\tM1\t2016-01-21T15:09:26Z\t2015-02-01\t2015-02-28",
            "#HEAD\tMessageVersion\tProfile\tProfileVersion\tMessageId\tMessageCreatedDateTime"
                + "\tUsageStartDate\tUsageEndDate",
            "#SY02.01\tSummaryRecordId\tCommercialModel\tUseType\tTerritory\tCurrency",
            "#AS01\tBlockId\tResourceReference\tISRC\tTitle\tDisplayArtistName",
            "#SU03.01\tBlockId\tSummaryRecordId\tUsages\tNetRevenue",
            "#FOOT\tNumberOfLinesInFile\tNumberOfSummaryRecords\tNumberOfBlocksInFile",
            "SY02.01\t1\tSubscriptionModel\tStream\tWW\tEUR",
            as,
            "SU03.01\tB1\t1\t10\t0.50",
            "FOOT\t10\t1\t1")
        + "\n";
  }

  @Test
  void aStrayTabInADsrTitleMakesItsSalesRowADeadLetterNotAShiftedValidRow() throws IOException {
    String as = "AS01\tB1\tR1\tUSSM19803037\tSexual\tHealing\tMarvin Gaye";

    RunSummary summary = ingest(dsr(as), "r.tsv", DSR, Strictness.LENIENT);

    assertThat(rows).isEmpty();
    assertThat(summary.deadLettered()).isEqualTo(1);
    assertThat(dead)
        .containsExactly(
            new DeadLetterRow(
                "youtube",
                "r.tsv",
                9,
                "AS01",
                "line 8: AS01 has 7 cells; heading #AS01 on line 4 has 6: its fields are shifted",
                as));
    assertThat(warnings)
        .containsExactly("r.tsv:8: ragged row: AS01 has 7 cells; heading #AS01 on line 4 has 6");
  }

  @Test
  void paddingAndMissingTrailingCellsAreStillReadLeniently() throws IOException {
    ingest(
        dsr("AS01\tB1\tR1\tUSSM19803037\tSexual Healing\tMarvin Gaye\t\t"),
        "padded.tsv",
        DSR,
        Strictness.LENIENT);
    ingest(dsr("AS01\tB1\tR1\tUSSM19803037\tSexual Healing"), "short.tsv", DSR, Strictness.LENIENT);

    assertThat(dead).isEmpty();
    assertThat(rows)
        .extracting(SalesRow::title)
        .containsExactly("Sexual Healing", "Sexual Healing");
    assertThat(rows).extracting(SalesRow::artist).containsExactly("Marvin Gaye", "");
  }

  @Test
  void aCsvRowWithAnExtraCellIsADeadLetterAndAPaddedOneIsRead() throws IOException {
    String header =
        "Sale Month,Store,Artist,Title,ISRC,UPC,Quantity,Country of Sale,Earnings (USD)\n";
    String shifted = "2024-03,S,Marvin Gaye,Sexual,Healing,USSM19803037,,1,US,0.10";
    String text = header + shifted + "\n2024-03,S,A,T,USSM19803037,,1,US,0.10,,\n";

    ingest(text, "d.csv", CSV, Strictness.LENIENT);

    assertThat(rows).extracting(SalesRow::rowNumber).containsExactly(3L);
    assertThat(dead)
        .containsExactly(
            new DeadLetterRow(
                "distributor",
                "d.csv",
                2,
                "row",
                "line 2 has 10 cells; the header on line 1 has 9: its fields are shifted",
                shifted));
  }

  static final String LICENCE =
      "\n                                 Apache License\n"
          + "                           Version 2.0, January 2004\n"
          + "   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION\n";

  @ParameterizedTest
  @EnumSource(Strictness.class)
  void aTextThatIsNotADsrIsRefusedInBothModes(Strictness strictness) {
    assertThatThrownBy(() -> ingest(LICENCE, "LICENSE", DSR, strictness))
        .isInstanceOf(ReportFormatException.class)
        .hasMessage(
            "LICENSE:2: file does not start with a HEAD record (found Apache License); not a DSR"
                + " file");
    assertThatThrownBy(() -> ingest("# only a comment\n", "empty.tsv", DSR, strictness))
        .isInstanceOf(ReportFormatException.class)
        .hasMessage("empty.tsv:1: no HEAD record: the file has no records; not a DSR file");
    assertThat(rows).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Strictness.class)
  void aTextThatIsNotACsvOrTsvReportIsRefusedInBothModes(Strictness strictness) {
    assertThatThrownBy(() -> ingest(LICENCE, "LICENSE", CSV, strictness))
        .isInstanceOf(ReportFormatException.class)
        .hasMessageStartingWith("LICENSE:2: no column 'Sale Month' for field period ");
    assertThatThrownBy(() -> ingest(LICENCE, "LICENSE", APPLE, strictness))
        .isInstanceOf(ReportFormatException.class)
        .hasMessageStartingWith("LICENSE:2: no column");
    assertThatThrownBy(() -> ingest("\n\n", "blank.csv", CSV, strictness))
        .isInstanceOf(ReportFormatException.class)
        .hasMessage("blank.csv:3: no header row: the file has no records (is it a CSV report?)");
  }

  @ParameterizedTest
  @EnumSource(Strictness.class)
  void theSharedLicenceTextIsRefusedAsADsrInBothModes(Strictness strictness) throws IOException {
    Path licence = SharedFixtures.dsrSamples().resolve("LICENSE");
    try (InputStream in = Files.newInputStream(licence)) {
      assertThatThrownBy(() -> ingest(in, "LICENSE", DSR, strictness))
          .isInstanceOf(ReportFormatException.class)
          .hasMessageContaining("file does not start with a HEAD record")
          .hasMessageEndingWith("not a DSR file");
    }
    assertThat(warnings).isEmpty();
  }
}
