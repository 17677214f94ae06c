package dev.paritysync.royalty.parse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.paritysync.royalty.SourceConfig;

/**
 * Fuzzes the DSR flat-file reader (HEAD, headings, SY/AS/SU blocks, FOOT; plain or gzip) with
 * arbitrary bytes, strict and lenient: see {@link ReportFuzzing} for what every input must give.
 */
class DsrParserFuzzTest {
  private static final SourceConfig DSR = SourceConfig.defaults("youtube", SourceConfig.Format.DSR);

  @FuzzTest(maxDuration = "10s")
  void read(byte[] input) {
    ReportFuzzing.check(input, DSR);
  }
}
