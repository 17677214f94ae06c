package dev.paritysync.royalty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.royalty.parse.ReportFormatException;
import dev.paritysync.royalty.parse.Strictness;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

/** The parser's own thread: rows in order, failures on either side end both threads. */
class ReportIngestTest {
  private static final SourceConfig CSV = SourceConfig.defaults("distro", SourceConfig.Format.CSV);
  private final List<Thread> started = new ArrayList<>();
  private final ThreadFactory recording =
      r -> {
        Thread t = new Thread(r, "test-parser");
        started.add(t);
        return t;
      };

  private static InputStream report(int rows, String extraLine) {
    StringBuilder b =
        new StringBuilder(
            "Sale Month,Store,Artist,Title,ISRC,UPC,Quantity,Country of Sale,Earnings (USD)\n");
    for (int i = 0; i < rows; i++) {
      b.append("2024-03,S,A,T ").append(i).append(",USSM19803037,,1,US,0.10\n");
    }
    b.append(extraLine);
    return new ByteArrayInputStream(b.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void rowsArriveInTheirOrderOnTheCallingThread() throws IOException {
    List<Long> numbers = new ArrayList<>();
    List<Thread> sinks = new ArrayList<>();

    RunSummary summary =
        ReportIngest.ingest(
            report(1000, ""),
            "r.csv",
            CSV,
            Strictness.STRICT,
            row -> {
              numbers.add(row.rowNumber());
              sinks.add(Thread.currentThread());
            },
            dead -> {},
            w -> {},
            recording);

    assertThat(summary.rowsRead()).isEqualTo(1000);
    assertThat(numbers).hasSize(1000).isSorted().startsWith(2L).endsWith(1001L);
    assertThat(sinks).containsOnly(Thread.currentThread());
    assertThat(started).hasSize(1);
    assertThat(started.get(0).isAlive()).isFalse();
  }

  @Test
  void aFailingSinkStopsTheParserAndItsExceptionReachesTheCaller() {
    IllegalStateException boom = new IllegalStateException("sink is full");
    long[] seen = new long[1];

    assertThatThrownBy(
            () ->
                ReportIngest.ingest(
                    report(100_000, ""),
                    "r.csv",
                    CSV,
                    Strictness.STRICT,
                    row -> {
                      if (++seen[0] == 10) {
                        throw boom;
                      }
                    },
                    dead -> {},
                    w -> {},
                    recording))
        .isSameAs(boom);
    assertThat(started.get(0).isAlive()).as("the parser ended before ingest returned").isFalse();
  }

  @Test
  void aFormatDefectInStrictModeComesAfterTheRowsBeforeIt() {
    List<Long> numbers = new ArrayList<>();

    assertThatThrownBy(
            () ->
                ReportIngest.ingest(
                    report(500, "2024-03,S,A,\"never closed\n"),
                    "r.csv",
                    CSV,
                    Strictness.STRICT,
                    row -> numbers.add(row.rowNumber()),
                    dead -> {},
                    w -> {},
                    recording))
        .isInstanceOf(ReportFormatException.class)
        .hasMessageContaining("r.csv:502");
    // the parser reads one record ahead (the last one may be cut off): the 500th row waits for
    // the broken record, as it did when parsing ran on the caller's thread
    assertThat(numbers).hasSize(499).endsWith(500L);
    assertThat(started.get(0).isAlive()).isFalse();
  }
}
