package dev.paritysync.royalty.parse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.paritysync.royalty.SourceConfig;

/**
 * Fuzzes the header-and-rows readers with arbitrary bytes: each input is read as a distributor CSV
 * (through {@link CsvTokenizer}: quotes, doubled quotes, line breaks in quoted fields) and as an
 * Apple tab-separated report, strict and lenient. See {@link ReportFuzzing} for what every input
 * must give.
 */
class DelimitedParserFuzzTest {
  private static final SourceConfig CSV = SourceConfig.defaults("distro", SourceConfig.Format.CSV);
  private static final SourceConfig APPLE =
      SourceConfig.defaults("apple", SourceConfig.Format.APPLE);

  @FuzzTest(maxDuration = "10s")
  void read(byte[] input) {
    ReportFuzzing.check(input, CSV);
    ReportFuzzing.check(input, APPLE);
  }
}
