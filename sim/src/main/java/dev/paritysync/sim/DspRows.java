package dev.paritysync.sim;

import dev.paritysync.core.json.CanonicalRows;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.YearMonth;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The rows of the simulated DSP's reports, generated from the seed: any row can be made on its own
 * (a page needs no state), and the same seed always gives the same rows; and the manifest's
 * checksum over them, in the canonical row form {@link CanonicalRows} defines (shared with the
 * client that verifies it). Thread-safe.
 */
final class DspRows {
  private static final String[] TERRITORIES = {
    "US", "GB", "DE", "FR", "JP", "BR", "SE", "XK", "WW", "us"
  };
  private static final String[] MODELS = {"SubscriptionModel", "AdSupportedModel"};
  private static final String[] CURRENCIES = {"USD", "EUR", "GBP"};

  private final long seed;
  private final double invalidRate;

  DspRows(long seed, double invalidRate) {
    this.seed = seed;
    this.invalidRate = invalidRate;
  }

  /** The 1-based row {@code n} of {@code report} in {@code period}, as ordered JSON fields. */
  Map<String, Object> row(String report, YearMonth period, long n) {
    SplittableRandom r = new SplittableRandom(mix(seed, report.hashCode(), n));
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("row", n);
    row.put("periodStart", period.atDay(1).toString());
    row.put("periodEnd", period.atEndOfMonth().toString());
    row.put("territory", TERRITORIES[r.nextInt(TERRITORIES.length)]);
    int track = r.nextInt(5_000);
    String isrc = String.format(Locale.ROOT, "QM%sA%02d%05d", registrant(track), 26, track);
    row.put("isrc", track % 7 == 0 ? isrc.substring(0, 2) + "-" + isrc.substring(2) : isrc);
    String upc = r.nextInt(4) == 0 ? "" : upc(100_000 + track / 12);
    row.put("upc", upc);
    row.put("title", "Track " + track);
    row.put("artist", "Artist " + (track % 97));
    row.put("commercialModel", MODELS[r.nextInt(MODELS.length)]);
    row.put("useType", "OnDemandStream");
    long quantity = 1 + r.nextInt(5_000);
    long micros = quantity * (800 + r.nextInt(4_000)); // 0.0008-0.0048 per stream
    String saleType = "SALE";
    if (r.nextInt(40) == 0) {
      saleType = "RETURN";
      quantity = -quantity;
      micros = -micros;
    }
    row.put("quantity", Long.toString(quantity));
    row.put("amount", decimal(micros));
    row.put("currency", CURRENCIES[r.nextInt(CURRENCIES.length)]);
    row.put("saleType", saleType);
    if (r.nextDouble() < invalidRate) {
      switch (r.nextInt(3)) {
        case 0 -> row.put("isrc", "1" + isrc.substring(1)); // the prefix must be letters
        case 1 -> {
          String good = upc.isEmpty() ? upc(100_000 + track / 12) : upc;
          int check = good.charAt(11) - '0';
          row.put("upc", good.substring(0, 11) + (check + 1) % 10);
        }
        default -> {
          row.put("saleType", "SALE");
          row.put("quantity", Long.toString(Math.abs(quantity)));
          row.put("amount", decimal(-Math.abs(micros)));
        }
      }
    }
    return row;
  }

  /** The row count of report {@code index} (1-based) of {@code period}. */
  static int rowCount(long seed, YearMonth period, int index, int rowsPerReport) {
    if (index == 1) {
      return rowsPerReport;
    }
    SplittableRandom r = new SplittableRandom(mix(seed, period.hashCode(), index));
    return rowsPerReport + r.nextInt(Math.max(1, rowsPerReport / 5) + 1);
  }

  /** The {@code canonical-v1} checksum of rows 1..{@code rows} of {@code report}. */
  String checksum(String report, YearMonth period, long rows) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    for (long n = 1; n <= rows; n++) {
      sha.update(canonical(row(report, period, n)).getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** One row in canonical form ({@link CanonicalRows}), LF included. */
  static String canonical(Map<String, Object> row) {
    return CanonicalRows.line(
        key -> {
          Object v = row.get(key);
          return v == null ? null : String.valueOf(v);
        });
  }

  private static String registrant(int track) {
    char a = (char) ('A' + track % 26);
    char b = (char) ('A' + (track / 26) % 26);
    return "" + a + b;
  }

  /** A 12-digit UPC-A with a correct GS1 mod-10 check digit. */
  static String upc(long base) {
    String body = String.format(Locale.ROOT, "%011d", base);
    int sum = 0;
    for (int i = 0; i < 11; i++) {
      int d = body.charAt(i) - '0';
      sum += (i % 2 == 0) ? d * 3 : d; // positions counted from the left of 11 digits
    }
    return body + (10 - sum % 10) % 10;
  }

  private static String decimal(long micros) {
    return java.math.BigDecimal.valueOf(micros, 6).toPlainString();
  }

  private static long mix(long seed, long a, long b) {
    long h = seed * 0x9E3779B97F4A7C15L + a;
    h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + b;
    return h ^ (h >>> 29);
  }
}
