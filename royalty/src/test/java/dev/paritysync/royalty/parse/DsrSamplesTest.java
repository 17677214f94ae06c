package dev.paritysync.royalty.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.royalty.DeadLetterRow;
import dev.paritysync.royalty.ReportIngest;
import dev.paritysync.royalty.RunSummary;
import dev.paritysync.royalty.SalesRow;
import dev.paritysync.royalty.SourceConfig;
import dev.paritysync.royalty.testing.SharedFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every shared DDEX sample, read leniently (defects reported) and strictly (rejected). */
class DsrSamplesTest {
  /**
   * Skips every test here, saying why, when the shared fixtures are absent — before any assertion
   * can mistake JUnit's skip for the exception it expects.
   */
  @BeforeEach
  void needsTheSharedSamples() {
    SharedFixtures.dsrSamples();
  }

  private static final String YOUTUBE =
      "DSR_TEST_YouTube_AdSupport-music_2015-Q4_IS_1of1_20160121T150926.tsv";
  private static final String LEGACY_2014 =
      "DSR_PADPIDA2014999999Z_PADPIDA2014111801Y_AdSupport_2015-02_AU_1of1_20140617T092522.tsv";
  private static final String PARSER_INPUT = "test_file_parser.tsv";

  /** Why the legacy samples are incomplete deliveries: their FOOT disagrees with the file. */
  private static final String FOOT_SAYS_123 =
      "line 7: FOOT NumberOfLinesInFile says 123 lines in the file; the file has 7";

  private static final SourceConfig DSR = SourceConfig.defaults("youtube", SourceConfig.Format.DSR);

  private final List<SalesRow> rows = new ArrayList<>();
  private final List<DeadLetterRow> dead = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  private RunSummary ingest(String file, Strictness strictness) throws IOException {
    Path path = SharedFixtures.dsrSamples().resolve(file);
    try (InputStream in = Files.newInputStream(path)) {
      return ReportIngest.ingest(
          in,
          file,
          DSR,
          strictness,
          rows::add,
          dead::add,
          w -> warnings.add(w.line() + ": " + w.message()));
    }
  }

  @Test
  void youtubeSampleLenientlyGivesSixSalesRowsAndReportsTheRaggedMusicalWorks() throws IOException {
    RunSummary summary = ingest(YOUTUBE, Strictness.LENIENT);

    assertThat(summary)
        .usingRecursiveComparison()
        .ignoringFields("delivery")
        .isEqualTo(new RunSummary(6, 6, 0, 3, null));
    assertThat(summary.complete()).as("its FOOT adds up").isTrue();
    assertThat(warnings)
        .containsExactly(
            "15: ragged row: MW01.01 has 8 cells; heading #MW01.01 on line 5 has 16",
            "20: ragged row: MW01.01 has 6 cells; heading #MW01.01 on line 5 has 16",
            "25: ragged row: MW01.01 has 8 cells; heading #MW01.01 on line 5 has 16");
    assertThat(rows)
        .extracting(SalesRow::rowNumber, SalesRow::isrc, SalesRow::quantity, SalesRow::amount)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(17L, "USSM19803037", 7810L, new BigDecimal("2.0")),
            org.assertj.core.groups.Tuple.tuple(22L, "USUV71101875", 2045L, new BigDecimal("2.0")),
            org.assertj.core.groups.Tuple.tuple(27L, "USRH10903879", 18L, new BigDecimal("0.0")),
            org.assertj.core.groups.Tuple.tuple(29L, "USRH10903879", 4L, new BigDecimal("0.0")),
            org.assertj.core.groups.Tuple.tuple(31L, "USRH10903879", 258L, new BigDecimal("0.0")),
            org.assertj.core.groups.Tuple.tuple(33L, "USRH10903879", 75L, new BigDecimal("3.0")));
    SalesRow first = rows.get(0);
    assertThat(first.title()).isEqualTo("Sexual Healing");
    assertThat(first.artist()).isEqualTo("Marvin Gaye");
    assertThat(first.territory()).isEqualTo("IS");
    assertThat(first.currency()).isEqualTo("USD");
    assertThat(first.commercialModel()).isEqualTo("AdvertisementSupportedModel");
    assertThat(first.useType()).isEqualTo("Stream");
    assertThat(first.upc()).isNull();
    assertThat(first.periodStart()).isEqualTo(LocalDate.of(2015, 10, 1));
    assertThat(first.periodEnd()).isEqualTo(LocalDate.of(2015, 12, 31));
    assertThat(first.partitionMonth()).isEqualTo(YearMonth.of(2015, 10));
    SalesRow third = rows.get(2);
    assertThat(third.periodEnd()).isEqualTo(LocalDate.of(2015, 10, 2));
    assertThat(third.artist()).isEqualTo("Dinah Washington / Max Richter");
    assertThat(rows.get(5).partitionMonth()).isEqualTo(YearMonth.of(2015, 12));
  }

  @Test
  void youtubeSampleIsRejectedStrictlyAtTheFirstRaggedRow() {
    assertThatThrownBy(() -> ingest(YOUTUBE, Strictness.STRICT))
        .isInstanceOf(ReportFormatException.class)
        .hasMessage(
            YOUTUBE + ":15: ragged row: MW01.01 has 8 cells; heading #MW01.01 on line 5 has 16")
        .extracting(e -> ((ReportFormatException) e).line())
        .isEqualTo(15L);
  }

  @Test
  void legacy2014SampleLenientlyReportsItsHeaderMissingHeadingsAndTheFootMismatch()
      throws IOException {
    RunSummary summary = ingest(LEGACY_2014, Strictness.LENIENT);

    assertThat(summary)
        .usingRecursiveComparison()
        .ignoringFields("delivery")
        .isEqualTo(new RunSummary(0, 0, 0, 6, null, FOOT_SAYS_123));
    assertThat(warnings)
        .containsExactly(
            "1: legacy header: MessageVersion 'ID1' is not dsrf/N (HEAD ID1 UgcProfile 1.1 1 2)",
            "4: record type SY03 has no #SY03 heading",
            "5: record type RE01 has no #RE01 heading",
            "6: record type AS02 has no #AS02 heading",
            "7: record type FOOT has no #FOOT heading; reading NumberOfLinesInFile from cell 2",
            "7: FOOT NumberOfLinesInFile says 123 lines in the file; the file has 7");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "DSR_PADPIDA2014999999Z_PADPIDA2014111801Y_AdSupport_2015-02_AU_1of1_20150723T092522.tsv",
        "DSR_PADPIDA2014999999Z_PADPIDA2014111801Y_AdSupport_2015-02_AU_1of2_20150723T092522.tsv",
        "DSR_PADPIDA2014999999Z_PADPIDA2014111801Y_AdSupport_2015-02_AU_2of2_20150723T092522.tsv",
      })
  void legacy2015SamplesLenientlyAlsoReportTheShortHead(String file) throws IOException {
    RunSummary summary = ingest(file, Strictness.LENIENT);

    assertThat(summary)
        .usingRecursiveComparison()
        .ignoringFields("delivery")
        .isEqualTo(new RunSummary(0, 0, 0, 7, null, FOOT_SAYS_123));
    assertThat(warnings)
        .containsExactly(
            "1: legacy header: MessageVersion 'ID1' is not dsrf/N (HEAD ID1 UgcProfile 1.1)",
            "1: ragged row: HEAD has 4 cells; heading #HEAD on line 2 has 6",
            "4: record type SY03 has no #SY03 heading",
            "5: record type RE01 has no #RE01 heading",
            "6: record type AS02 has no #AS02 heading",
            "7: record type FOOT has no #FOOT heading; reading NumberOfLinesInFile from cell 2",
            "7: FOOT NumberOfLinesInFile says 123 lines in the file; the file has 7");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        LEGACY_2014,
        "DSR_PADPIDA2014999999Z_PADPIDA2014111801Y_AdSupport_2015-02_AU_1of1_20150723T092522.tsv",
        "DSR_PADPIDA2014999999Z_PADPIDA2014111801Y_AdSupport_2015-02_AU_1of2_20150723T092522.tsv",
        "DSR_PADPIDA2014999999Z_PADPIDA2014111801Y_AdSupport_2015-02_AU_2of2_20150723T092522.tsv",
      })
  void legacySamplesAreRejectedStrictlyAtTheHeader(String file) {
    assertThatThrownBy(() -> ingest(file, Strictness.STRICT))
        .isInstanceOf(ReportFormatException.class)
        .hasMessageStartingWith(file + ":1: legacy header: MessageVersion 'ID1' is not dsrf/N");
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(Strictness.class)
  void parserTestInputIsRejectedInBothModesWhereTheHeadShouldBe(Strictness strictness) {
    assertThatThrownBy(() -> ingest(PARSER_INPUT, strictness))
        .isInstanceOf(ReportFormatException.class)
        .hasMessage(
            PARSER_INPUT
                + ":3: file does not start with a HEAD record (found FHEA); not a DSR file");
    assertThat(rows).isEmpty();
    assertThat(warnings).isEmpty();
  }

  @Test
  void theByteIdenticalMultiFilePairIsOneDelivery() throws IOException {
    RunSummary first =
        ingest(
            "DSR_PADPIDA2014999999Z_PADPIDA2014111801Y_AdSupport_2015-02_AU_1of2_20150723T092522.tsv",
            Strictness.LENIENT);
    RunSummary second =
        ingest(
            "DSR_PADPIDA2014999999Z_PADPIDA2014111801Y_AdSupport_2015-02_AU_2of2_20150723T092522.tsv",
            Strictness.LENIENT);
    RunSummary other = ingest(YOUTUBE, Strictness.LENIENT);
    RunSummary sameHeaderOtherBytes =
        ingest(
            "DSR_PADPIDA2014999999Z_PADPIDA2014111801Y_AdSupport_2015-02_AU_1of1_20150723T092522.tsv",
            Strictness.LENIENT);

    assertThat(first.delivery().sameAs(second.delivery())).isTrue();
    assertThat(first.delivery().messageId()).as("legacy header: no reliable id").isNull();
    assertThat(first.delivery().sameAs(other.delivery())).isFalse();
    assertThat(first.delivery().sameAs(sameHeaderOtherBytes.delivery())).isFalse();
  }

  @Test
  void theDeliveryIsTheFileHashAndTheHeadMessageId() throws Exception {
    RunSummary summary = ingest(YOUTUBE, Strictness.LENIENT);
    byte[] bytes = Files.readAllBytes(SharedFixtures.dsrSamples().resolve(YOUTUBE));
    String sha =
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));

    assertThat(summary.delivery())
        .isEqualTo(new dev.paritysync.royalty.Delivery("youtube", sha, "1453417766009915/1"));
  }
}
