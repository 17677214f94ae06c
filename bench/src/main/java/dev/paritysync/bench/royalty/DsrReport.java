package dev.paritysync.bench.royalty;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A seeded DDEX DSR flat file (UGC profile shape) for the ingest benchmark: a HEAD, one summary
 * record ({@code SY02.01}) per territory, then blocks of one {@code AS01} (the resource), one
 * {@code RE01} (the release, three blocks in four with a valid UPC-A) and four {@code SU03.01}
 * sales lines, each naming a territory's summary record. One block in 1,000 carries a bad ISRC
 * (four dead letters); titles carry DSR escapes ({@code \|}, {@code \\}, {@code \t}) and several
 * artists are joined with {@code |}. The FOOT counts lines, summary records and blocks.
 */
final class DsrReport {
  static final int SALES_PER_BLOCK = 4;

  private DsrReport() {}

  /**
   * Writes a report of {@code rows} sales lines (rounded up to whole blocks) over {@code
   * territories} territories and {@code months} months; returns the rows that carry a bad ISRC.
   *
   * @return {@code {rows written, bad rows}}
   */
  static long[] generate(Path file, long rows, int territories, int months, long seed)
      throws IOException {
    String[] codes =
        Arrays.stream(Locale.getISOCountries()).sorted().limit(territories).toArray(String[]::new);
    SplittableRandom random = new SplittableRandom(seed);
    long blocks = (rows + SALES_PER_BLOCK - 1) / SALES_PER_BLOCK;
    long lines = 0;
    long bad = 0;
    try (BufferedWriter w =
        Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW)) {
      String[] head = {
        "HEAD\tdsrf/30\tUGCProfile\t1.0\tBENCH-"
            + seed
            + "\t2026-01-21T15:09:26Z\t1\t1"
            + "\t2024-01-01\t2024-12-31\tPADPIDA2013020802I\tBenchTube\tAdSupport-music",
        "#HEAD\tMessageVersion\tProfile\tProfileVersion\tMessageId\tMessageCreatedDateTime"
            + "\tFileNumber\tNumberOfFiles\tUsageStartDate\tUsageEndDate\tSenderPartyId"
            + "\tSenderName\tServiceDescription",
        "#SY02.01\tSummaryRecordId\tCommercialModel\tUseType\tTerritory\tServiceDescription"
            + "\tUsages\tCurrency\tNetRevenue",
        "#AS01\tBlockId\tResourceReference\tDspResourceId\tISRC\tTitle\tDisplayArtistName"
            + "\tDuration\tResourceType",
        "#RE01\tBlockId\tReleaseReference\tDspReleaseId\tICPN\tTitle",
        "#SU03.01\tBlockId\tSalesTransactionId\tSummaryRecordId\tDspResourceId\tUsages"
            + "\tNetRevenue\tValidityPeriodStart\tValidityPeriodEnd",
        "#FOOT\tNumberOfLinesInFile\tNumberOfSummaryRecords\tNumberOfBlocksInFile"
      };
      for (String h : head) {
        w.write(h);
        w.write('\n');
        lines++;
      }
      for (int t = 0; t < codes.length; t++) {
        w.write("SY02.01\t" + (t + 1) + "\tAdvertisementSupportedModel\tStream\t" + codes[t]);
        w.write("\tAdSupport-music\t1000\tUSD\t10.00\n");
        lines++;
      }
      StringBuilder b = new StringBuilder(512);
      for (long block = 1; block <= blocks; block++) {
        b.setLength(0);
        int track = random.nextInt(200_000);
        String isrc;
        if (random.nextInt(1000) == 0) {
          isrc = "BAD" + track;
          bad += SALES_PER_BLOCK;
        } else {
          isrc = "USRC1" + (24 + track % 2) + pad5(track % 100_000);
        }
        b.append("AS01\t").append(block).append("\tA").append(track).append("\tR").append(track);
        b.append('\t').append(isrc).append("\tTrack ").append(track);
        b.append(track % 7 == 0 ? " \\| Remix \\\\ Live" : "").append('\t');
        b.append("Artist ").append(track % 5_000);
        b.append(track % 3 == 0 ? "|Guest " + track % 777 : "")
            .append("\tPT3M12S\tSoundRecording\n");
        b.append("RE01\t").append(block).append("\tREL").append(track).append("\tD").append(track);
        b.append('\t').append(random.nextInt(4) != 0 ? RoyaltyIngestBench.upc(track) : "");
        b.append("\tRelease ").append(track).append('\n');
        lines += 2;
        for (int s = 0; s < SALES_PER_BLOCK; s++) {
          int month = 1 + random.nextInt(months);
          String day = "2024" + (month < 10 ? "0" : "") + month;
          b.append("SU03.01\t").append(block).append("\tU").append(s + 1).append('\t');
          b.append(1 + random.nextInt(codes.length)).append("\tR").append(track).append('\t');
          b.append(1 + random.nextInt(500)).append("\t0.").append(pad5(random.nextInt(100_000)));
          b.append('\t').append(day).append("01\t").append(day).append("28\n");
          lines++;
        }
        w.append(b);
      }
      lines++;
      w.write("FOOT\t" + lines + "\t" + codes.length + "\t" + blocks + "\n");
    }
    return new long[] {blocks * SALES_PER_BLOCK, bad};
  }

  private static String pad5(int n) {
    String s = Integer.toString(n);
    return "00000".substring(s.length()) + s;
  }
}
