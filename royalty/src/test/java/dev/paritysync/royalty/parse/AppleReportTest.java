package dev.paritysync.royalty.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.royalty.DeadLetterRow;
import dev.paritysync.royalty.ReportIngest;
import dev.paritysync.royalty.RunSummary;
import dev.paritysync.royalty.SaleType;
import dev.paritysync.royalty.SalesRow;
import dev.paritysync.royalty.SourceConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Apple-style label sales reports, generated here: no fixture exists. */
class AppleReportTest {
  private static final String HEADER =
      String.join(
          "\t",
          "Start Date",
          "End Date",
          "UPC",
          "ISRC/ISBN",
          "Vendor Identifier",
          "Quantity",
          "Partner Share",
          "Extended Partner Share",
          "Partner Share Currency",
          "Sale or Return",
          "Apple Identifier",
          "Artist/Show",
          "Title",
          "Country Of Sale");
  private static final SourceConfig APPLE =
      SourceConfig.defaults("apple", SourceConfig.Format.APPLE);

  private final List<SalesRow> rows = new ArrayList<>();
  private final List<DeadLetterRow> dead = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  private static String line(String... cells) {
    return String.join("\t", cells);
  }

  private RunSummary ingest(String text, Strictness strictness) throws IOException {
    return ReportIngest.ingest(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
        "S1_80012345_0115_US.txt",
        APPLE,
        strictness,
        rows::add,
        dead::add,
        w -> warnings.add(w.toString()));
  }

  @Test
  void happyPathWithASaleAndAReturn() throws IOException {
    String text =
        String.join(
                "\r\n",
                HEADER,
                line(
                    "01/04/2015",
                    "01/31/2015",
                    "036000291452",
                    "USSM19803037",
                    "V1",
                    "3",
                    "0.70",
                    "2.10",
                    "USD",
                    "S",
                    "123",
                    "Marvin Gaye",
                    "Sexual Healing",
                    "US"),
                line(
                    "01/04/2015",
                    "01/31/2015",
                    "",
                    "us-sm1-98-03037",
                    "V1",
                    "-1",
                    "0.70",
                    "-0.70",
                    "USD",
                    "R",
                    "123",
                    "Marvin Gaye",
                    "Sexual Healing",
                    "US"),
                "")
            + "\r\n";
    RunSummary summary = ingest(text, Strictness.STRICT);

    assertThat(summary)
        .usingRecursiveComparison()
        .ignoringFields("delivery")
        .isEqualTo(new RunSummary(2, 2, 0, 0, null));
    SalesRow sale = rows.get(0);
    assertThat(sale.rowNumber()).isEqualTo(2);
    assertThat(sale.periodStart()).isEqualTo(LocalDate.of(2015, 1, 4));
    assertThat(sale.periodEnd()).isEqualTo(LocalDate.of(2015, 1, 31));
    assertThat(sale.upc()).isEqualTo("00036000291452");
    assertThat(sale.quantity()).isEqualTo(3);
    assertThat(sale.amount()).isEqualByComparingTo(new BigDecimal("2.10"));
    assertThat(sale.title()).isEqualTo("Sexual Healing");
    assertThat(sale.artist()).isEqualTo("Marvin Gaye");
    assertThat(sale.territory()).isEqualTo("US");
    SalesRow refund = rows.get(1);
    assertThat(refund.saleType()).isEqualTo(SaleType.RETURN);
    assertThat(refund.upc()).isNull();
    assertThat(refund.amount()).isEqualByComparingTo("-0.70");
    assertThat(refund.normalisations())
        .containsExactly("isrc: removed hyphens", "isrc: upper-cased");
  }

  @Test
  void badRowsBecomeDeadLettersNamingRowAndField() throws IOException {
    String text =
        String.join(
            "\n",
            HEADER,
            line(
                "01/04/2015",
                "01/31/2015",
                "036000291452",
                "USSM19803037",
                "V1",
                "-1",
                "0.70",
                "-0.70",
                "USD",
                "S",
                "123",
                "A",
                "T",
                "US"),
            line(
                "2015-01-04",
                "01/31/2015",
                "",
                "USSM19803037",
                "V1",
                "1",
                "0.70",
                "0.70",
                "USD",
                "S",
                "123",
                "A",
                "T",
                "US"),
            line(
                "01/04/2015",
                "01/31/2015",
                "",
                "USSM19803037",
                "V1",
                "1",
                "0.70",
                "0.70",
                "USD",
                "S",
                "123",
                "A",
                "T",
                "XX"));
    RunSummary summary = ingest(text, Strictness.STRICT);

    assertThat(summary.rowsRead()).isEqualTo(3);
    assertThat(summary.deadLettered()).isEqualTo(3);
    assertThat(summary.rejectionRate()).isEqualTo(1.0);
    assertThat(dead)
        .extracting(DeadLetterRow::rowNumber, DeadLetterRow::field)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(2L, "quantity"),
            org.assertj.core.groups.Tuple.tuple(3L, "period"),
            org.assertj.core.groups.Tuple.tuple(4L, "territory"));
    assertThat(dead.get(0).source()).isEqualTo("apple");
    assertThat(dead.get(0).report()).isEqualTo("S1_80012345_0115_US.txt");
    assertThat(dead.get(0).excerpt()).startsWith("01/04/2015\t01/31/2015\t036000291452");
  }

  @Test
  void raggedRowsAreRejectedStrictlyAndDeadLetteredLeniently() throws IOException {
    String text =
        String.join(
            "\n",
            HEADER,
            line(
                "01/04/2015",
                "01/31/2015",
                "",
                "USSM19803037",
                "V1",
                "1",
                "0.70",
                "0.70",
                "USD",
                "S",
                "123",
                "A",
                "T",
                "US",
                "extra"));
    assertThatThrownBy(() -> ingest(text, Strictness.STRICT))
        .isInstanceOf(ReportFormatException.class)
        .hasMessage("S1_80012345_0115_US.txt:2: ragged row: 15 cells; the header on line 1 has 14");
    RunSummary lenient = ingest(text, Strictness.LENIENT);
    assertThat(lenient.valid()).as("an extra cell shifts the fields: never a valid row").isZero();
    assertThat(dead)
        .extracting(DeadLetterRow::rowNumber, DeadLetterRow::field, DeadLetterRow::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                2L,
                "row",
                "line 2 has 15 cells; the header on line 1 has 14: its fields are shifted"));
    assertThat(warnings)
        .containsExactly(
            "S1_80012345_0115_US.txt:2: ragged row: 15 cells; the header on line 1 has 14");
  }

  @Test
  void aMissingConfiguredColumnIsFatalInBothModesAndNamesTheSetting() {
    String text = HEADER.replace("ISRC/ISBN", "ISRC") + "\n";
    for (Strictness s : Strictness.values()) {
      assertThatThrownBy(() -> ingest(text, s))
          .isInstanceOf(ReportFormatException.class)
          .hasMessage(
              "S1_80012345_0115_US.txt:1: no column 'ISRC/ISBN' for field isrc"
                  + " (sources.apple.columns.isrc) in the header");
    }
  }

  @Test
  void anEmptyReportHasNoHeader() {
    assertThatThrownBy(() -> ingest("", Strictness.LENIENT))
        .hasMessage(
            "S1_80012345_0115_US.txt:0: no header row: the file has no records (is it a"
                + " tab-separated report?)");
  }
}
