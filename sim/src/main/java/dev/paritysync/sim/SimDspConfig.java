package dev.paritysync.sim;

import java.util.List;
import java.util.Objects;

/**
 * How a {@link SimDsp} behaves: its seed, how many reports and rows it serves, how many of those
 * rows are invalid on purpose, its quota and its faults. Immutable; build one with {@link
 * #newBuilder()}, {@link #healthy(long)} or {@link #flaky(long)}.
 *
 * <p>Defaults: seed 0, port 0 (ephemeral), 2 reports per period, about 1,000 rows per report, pages
 * of at most 1,000 rows (default page 200), 2 % invalid rows, no quota, no faults.
 *
 * @param seed seeds the rows and the fault dice; the same seed gives the same reports, and the same
 *     sequence of requests the same faults
 * @param port the loopback port to bind, 0 for an ephemeral one
 * @param reportsPerPeriod how many reports each period lists
 * @param rowsPerReport the first report of a period has exactly this many rows; the others up to a
 *     fifth more, drawn from the seed
 * @param maxPageSize the largest {@code limit} a page request may ask for (larger ones are cut to
 *     it)
 * @param invalidRate the share of rows that are invalid on purpose: a bad ISRC, a bad UPC check
 *     digit or a negative amount on a sale, in equal parts
 * @param quotas windows ({@code N/period}, e.g. {@code 20/1s}) that apply to every request at once;
 *     a request over them answers 429 with {@code Retry-After}
 * @param p429 probability of a 429 with {@code Retry-After: 1} unrelated to the quota
 * @param p500 probability of a 500
 * @param p503 probability of a 503
 * @param pReset probability that the connection is closed without a response
 * @param pTruncate probability that a 200 carries a body cut off mid-document (with a {@code
 *     Content-Length} that matches the cut body, so only the JSON is broken)
 */
public record SimDspConfig(
    long seed,
    int port,
    int reportsPerPeriod,
    int rowsPerReport,
    int maxPageSize,
    double invalidRate,
    List<String> quotas,
    double p429,
    double p500,
    double p503,
    double pReset,
    double pTruncate) {

  /** Checks ranges; copies {@code quotas}. */
  public SimDspConfig {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0-65535, was " + port);
    }
    if (reportsPerPeriod < 0) {
      throw new IllegalArgumentException("reportsPerPeriod must be >= 0, was " + reportsPerPeriod);
    }
    if (rowsPerReport < 1) {
      throw new IllegalArgumentException("rowsPerReport must be >= 1, was " + rowsPerReport);
    }
    if (maxPageSize < 1) {
      throw new IllegalArgumentException("maxPageSize must be >= 1, was " + maxPageSize);
    }
    probability("invalidRate", invalidRate);
    probability("p429", p429);
    probability("p500", p500);
    probability("p503", p503);
    probability("pReset", pReset);
    probability("pTruncate", pTruncate);
    if (p429 + p500 + p503 + pReset + pTruncate > 1) {
      throw new IllegalArgumentException(
          "fault probabilities add up to more than 1: "
              + (p429 + p500 + p503 + pReset + pTruncate));
    }
    quotas = List.copyOf(Objects.requireNonNull(quotas, "quotas"));
    for (int i = 0; i < quotas.size(); i++) {
      QuotaSpec.parse("quotas[" + i + "]", quotas.get(i));
    }
  }

  private static void probability(String name, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(name + " must be a probability in [0, 1], was " + p);
    }
  }

  /** A builder with the defaults. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** No faults, no quota. */
  public static SimDspConfig healthy(long seed) {
    return newBuilder().withSeed(seed).build();
  }

  /**
   * About a quarter of requests fail: 8 % 429, 5 % 500, 4 % 503, 4 % resets, 4 % truncated bodies;
   * a quota of 50 requests per second.
   */
  public static SimDspConfig flaky(long seed) {
    return newBuilder()
        .withSeed(seed)
        .withQuota("50/1s")
        .withP429(0.08)
        .withP500(0.05)
        .withP503(0.04)
        .withPReset(0.04)
        .withPTruncate(0.04)
        .build();
  }

  /** Builds a {@link SimDspConfig}. Not thread-safe; {@link #build()} validates and copies. */
  public static final class Builder {
    private long seed;
    private int port;
    private int reportsPerPeriod = 2;
    private int rowsPerReport = 1_000;
    private int maxPageSize = 1_000;
    private double invalidRate = 0.02;
    private List<String> quotas = List.of();
    private double p429;
    private double p500;
    private double p503;
    private double pReset;
    private double pTruncate;

    private Builder() {}

    private Builder(SimDspConfig c) {
      seed = c.seed;
      port = c.port;
      reportsPerPeriod = c.reportsPerPeriod;
      rowsPerReport = c.rowsPerReport;
      maxPageSize = c.maxPageSize;
      invalidRate = c.invalidRate;
      quotas = c.quotas;
      p429 = c.p429;
      p500 = c.p500;
      p503 = c.p503;
      pReset = c.pReset;
      pTruncate = c.pTruncate;
    }

    /** The seed of the rows and the fault dice; default 0. */
    public Builder withSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The loopback port to bind; default 0, an ephemeral one. */
    public Builder withPort(int port) {
      this.port = port;
      return this;
    }

    /** How many reports each period lists; default 2. */
    public Builder withReportsPerPeriod(int n) {
      this.reportsPerPeriod = n;
      return this;
    }

    /** Rows in the first report of a period (the others up to it); default 1,000. */
    public Builder withRowsPerReport(int n) {
      this.rowsPerReport = n;
      return this;
    }

    /** The largest {@code limit} a page request may ask for; default 1,000. */
    public Builder withMaxPageSize(int n) {
      this.maxPageSize = n;
      return this;
    }

    /** The share of rows that are invalid on purpose, 0 to 1; default 0.02. */
    public Builder withInvalidRate(double rate) {
      this.invalidRate = rate;
      return this;
    }

    /** Replaces the quota windows, e.g. {@code "20/1s", "600/1m"}. */
    public Builder withQuota(String... windows) {
      this.quotas = List.of(windows);
      return this;
    }

    /** The probability of a 429 unrelated to the quota; default 0. */
    public Builder withP429(double p) {
      this.p429 = p;
      return this;
    }

    /** The probability a request is answered 500; default 0. */
    public Builder withP500(double p) {
      this.p500 = p;
      return this;
    }

    /** The probability a request is answered 503; default 0. */
    public Builder withP503(double p) {
      this.p503 = p;
      return this;
    }

    /** The probability the connection is closed without a response; default 0. */
    public Builder withPReset(double p) {
      this.pReset = p;
      return this;
    }

    /** The probability a 200 carries a body cut off mid-document; default 0. */
    public Builder withPTruncate(double p) {
      this.pTruncate = p;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first setting out of range
     */
    public SimDspConfig build() {
      return new SimDspConfig(
          seed,
          port,
          reportsPerPeriod,
          rowsPerReport,
          maxPageSize,
          invalidRate,
          quotas,
          p429,
          p500,
          p503,
          pReset,
          pTruncate);
    }
  }
}
