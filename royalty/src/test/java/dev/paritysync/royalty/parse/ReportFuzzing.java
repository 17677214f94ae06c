package dev.paritysync.royalty.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.royalty.RawRow;
import dev.paritysync.royalty.SourceConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the report fuzz tests assert of one input, in both modes: reading it ends with rows or with
 * a {@link ReportFormatException} whose message is {@code report:line: defect} (a line from 1), an
 * {@link UncheckedIOException} naming the report and line, or an {@link IOException} from opening a
 * broken gzip stream — never anything else. Every row and warning names the report and a line from
 * 1. What strict mode reads without a defect, lenient mode reads the same, without a warning.
 */
final class ReportFuzzing {
  static final String REPORT = "fuzz-report.txt";

  private ReportFuzzing() {}

  /** The rows and warnings of one read, or the rejection that ended it. */
  record Read(List<RawRow> rows, List<ParseWarning> warnings, RuntimeException rejected) {}

  static void check(byte[] input, SourceConfig config) {
    Read strict = read(input, config, Strictness.STRICT);
    Read lenient = read(input, config, Strictness.LENIENT);
    if (strict != null && strict.rejected() == null && lenient != null) {
      assertThat(lenient.rejected()).as("lenient rejects what strict reads").isNull();
      assertThat(lenient.warnings()).as("lenient warns of what strict reads").isEmpty();
      assertThat(lenient.rows()).as("rows, lenient and strict").isEqualTo(strict.rows());
    }
  }

  /** Null when the input is a gzip stream that cannot be opened. */
  static Read read(byte[] input, SourceConfig config, Strictness strictness) {
    List<ParseWarning> warnings = new ArrayList<>();
    List<RawRow> rows = new ArrayList<>();
    RowCursor cursor;
    try {
      cursor =
          ReportParser.open(
              new ByteArrayInputStream(input), REPORT, config, strictness, warnings::add);
    } catch (IOException e) {
      assertThat(input.length).as("only a gzip header fails to open").isGreaterThanOrEqualTo(2);
      assertThat(input[0] & 0xff).isEqualTo(0x1f);
      return null;
    }
    RuntimeException rejected = null;
    try (cursor) {
      while (cursor.hasNext()) {
        RawRow row = cursor.next();
        assertThat(row.report()).isEqualTo(REPORT);
        assertThat(row.rowNumber()).as("row number of %s", row).isPositive();
        rows.add(row);
      }
      String incomplete = cursor.incomplete();
      if (incomplete != null) {
        assertThat(incomplete).matches("line [1-9][0-9]*: \\S.*");
      }
    } catch (ReportFormatException e) {
      assertThat(e.report()).isEqualTo(REPORT);
      if (e.line() == 0) {
        // An empty text has no line 1: "report:0: … the file has no records" (AppleReportTest).
        assertThat(e.getMessage()).as("line 0").contains("the file has no records");
      } else {
        assertThat(e.line()).as("line of %s", e.getMessage()).isPositive();
      }
      assertThat(e.getMessage()).startsWith(REPORT + ":" + e.line() + ": ");
      assertThat(e.getMessage().substring((REPORT + ":" + e.line() + ": ").length())).isNotBlank();
      rejected = e;
    } catch (UncheckedIOException e) {
      assertThat(e.getMessage()).matches(REPORT.replace(".", "\\.") + ":[0-9]+: .+");
      rejected = e;
    } catch (IOException e) {
      throw new UncheckedIOException("closing a report read from memory", e);
    }
    for (ParseWarning w : warnings) {
      assertThat(w.report()).isEqualTo(REPORT);
      assertThat(w.line()).as("line of %s", w).isPositive();
      assertThat(w.message()).as("message of %s", w).isNotBlank();
    }
    return new Read(rows, warnings, rejected);
  }
}
