package dev.paritysync.royalty.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.royalty.DeadLetterRow;
import dev.paritysync.royalty.ReportIngest;
import dev.paritysync.royalty.RunSummary;
import dev.paritysync.royalty.SalesRow;
import dev.paritysync.royalty.SourceConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DistributorCsvTest {
  private static final String HEADER =
      "Sale Month,Store,Artist,Title,ISRC,UPC,Quantity,Country of Sale,Earnings (USD)";
  private static final SourceConfig CSV = SourceConfig.defaults("distro", SourceConfig.Format.CSV);

  private final List<SalesRow> rows = new ArrayList<>();
  private final List<DeadLetterRow> dead = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  private RunSummary ingest(String text, Strictness strictness) throws IOException {
    return ReportIngest.ingest(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
        "distro-2024-03.csv",
        CSV,
        strictness,
        rows::add,
        dead::add,
        w -> warnings.add(w.toString()));
  }

  @Test
  void happyPathWithQuotedCommasQuotesAndLineBreaks() throws IOException {
    String text =
        HEADER
            + "\r\n"
            + "2024-03,Spotify,\"Earth, Wind & Fire\",\"September \"\"Live\"\"\",USSM19803037,"
            + "036000291452,120,WW,0.48\r\n"
            + "2024-03,Apple Music,Someone,\"Two\nLines\",USSM19803037,,3,de,0.02\r\n";
    RunSummary summary = ingest(text, Strictness.STRICT);

    assertThat(summary)
        .usingRecursiveComparison()
        .ignoringFields("delivery")
        .isEqualTo(new RunSummary(2, 2, 0, 0, null));
    SalesRow first = rows.get(0);
    assertThat(first.rowNumber()).isEqualTo(2);
    assertThat(first.artist()).isEqualTo("Earth, Wind & Fire");
    assertThat(first.title()).isEqualTo("September \"Live\"");
    assertThat(first.commercialModel()).isEqualTo("Spotify");
    assertThat(first.territory()).isEqualTo("Worldwide");
    assertThat(first.currency()).isEqualTo("USD");
    assertThat(first.periodStart()).isEqualTo(LocalDate.of(2024, 3, 1));
    assertThat(first.periodEnd()).isEqualTo(LocalDate.of(2024, 3, 31));
    assertThat(first.partitionMonth()).isEqualTo(YearMonth.of(2024, 3));
    SalesRow second = rows.get(1);
    assertThat(second.rowNumber()).isEqualTo(3);
    assertThat(second.title()).isEqualTo("Two\nLines");
    assertThat(second.territory()).isEqualTo("DE");
    assertThat(second.upc()).isNull();
  }

  @Test
  void rowNumbersCountPhysicalLinesAfterAMultiLineField() throws IOException {
    String text =
        HEADER
            + "\n2024-03,S,A,\"a\nb\nc\",USSM19803037,,1,US,0.1"
            + "\n2024-03,S,A,T,BAD,,1,US,0.1\n";
    ingest(text, Strictness.STRICT);
    assertThat(dead).extracting(DeadLetterRow::rowNumber).containsExactly(5L);
    assertThat(dead.get(0).field()).isEqualTo("isrc");
    assertThat(dead.get(0).excerpt()).isEqualTo("2024-03,S,A,T,BAD,,1,US,0.1");
  }

  @Test
  void negativeEarningsWithoutAMarkerAreDeadLetters() throws IOException {
    ingest(HEADER + "\n2024-03,S,A,T,USSM19803037,,1,US,-0.10\n", Strictness.STRICT);
    assertThat(dead).singleElement().extracting(DeadLetterRow::field).isEqualTo("amount");
  }

  @Test
  void anUnclosedQuoteIsFatal() {
    assertThatThrownBy(
            () -> ingest(HEADER + "\n2024-03,S,\"A,T,USSM19803037,,1,US,1\n", Strictness.LENIENT))
        .isInstanceOf(ReportFormatException.class)
        .hasMessage("distro-2024-03.csv:2: quoted field starting on this line is never closed");
  }

  @Test
  void strayQuotesAreRejectedStrictlyAndReportedLeniently() throws IOException {
    String text = HEADER + "\n2024-03,S,A\"B,\"T\"x,USSM19803037,,1,US,1\n";
    assertThatThrownBy(() -> ingest(text, Strictness.STRICT))
        .hasMessage("distro-2024-03.csv:2: quote inside an unquoted field");
    ingest(text, Strictness.LENIENT);
    assertThat(warnings)
        .containsExactly(
            "distro-2024-03.csv:2: quote inside an unquoted field",
            "distro-2024-03.csv:2: text after a closing quote");
    assertThat(rows)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.artist()).isEqualTo("A\"B");
              assertThat(r.title()).isEqualTo("Tx");
            });
  }

  @Test
  void tokenizerHandlesEmptyQuotedFieldsAndAMissingFinalNewline() throws IOException {
    CsvTokenizer t =
        new CsvTokenizer(
            new StringReader("\"\",a,\"\"\r\nx"), new Defects("r", Strictness.STRICT, w -> {}));
    assertThat(t.next()).containsExactly("", "a", "");
    assertThat(t.next()).containsExactly("x");
    assertThat(t.line()).isEqualTo(2);
    assertThat(t.next()).isNull();
  }
}
