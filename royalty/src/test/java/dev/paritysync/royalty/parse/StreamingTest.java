package dev.paritysync.royalty.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.royalty.RawRow;
import dev.paritysync.royalty.SourceConfig;
import java.io.BufferedWriter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A large report is read lazily: rows come out long before the input is consumed. */
class StreamingTest {
  private static final int ROWS = 200_000;

  /** Counts the bytes the parser pulled from the file. */
  static final class CountingInputStream extends FilterInputStream {
    long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }

  @Test
  void aLargeDsrYieldsItsFirstRowAfterABoundedPartOfTheInput(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("big.tsv");
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("HEAD\tdsrf/30\tUGCProfile\t1.0\n");
      w.write("#HEAD\tMessageVersion\tProfile\tProfileVersion\n");
      w.write("#SY02.01\tSummaryRecordId\tTerritory\tCurrency\n");
      w.write("#AS01\tBlockId\tISRC\tTitle\tDisplayArtistName\n");
      w.write("#SU03.01\tBlockId\tSummaryRecordId\tUsages\tNetRevenue\tValidityPeriodStart\n");
      w.write("#FOOT\tNumberOfLinesInFile\tNumberOfSummaryRecords\tNumberOfBlocksInFile\n");
      w.write("SY02.01\t1\tDE\tEUR\n");
      for (int i = 1; i <= ROWS; i++) {
        String serial = Integer.toString(100_000 + i % 100_000).substring(1);
        String isrc = "DEA0115" + serial; // a valid ISO 3901 code
        w.write("AS01\t" + i + "\t" + isrc + "\tTrack number " + i + "\tSome Artist\n");
        w.write("SU03.01\t" + i + "\t1\t" + (i % 97) + "\t0." + (i % 100) + "\t2015-02\n");
      }
      w.write("FOOT\t" + (7 + 2 * ROWS + 1) + "\t1\t" + ROWS + "\n");
    }
    long size = Files.size(file);
    assertThat(size).isGreaterThan(10_000_000L);

    SourceConfig config = SourceConfig.defaults("big", SourceConfig.Format.DSR);
    CountingInputStream counting = new CountingInputStream(Files.newInputStream(file));
    try (RowCursor rows =
        ReportParser.open(counting, "big.tsv", config, Strictness.STRICT, w -> {})) {
      RawRow first = rows.next();
      assertThat(first.rowNumber()).isEqualTo(9);
      assertThat(counting.count).as("bytes read for the first row").isLessThan(256 * 1024L);

      long n = 1;
      RawRow last = first;
      while (rows.hasNext()) {
        last = rows.next();
        n++;
      }
      assertThat(n).isEqualTo(ROWS);
      assertThat(last.rowNumber()).isEqualTo(7 + 2L * ROWS);
      assertThat(counting.count).isEqualTo(size);
    }
  }
}
