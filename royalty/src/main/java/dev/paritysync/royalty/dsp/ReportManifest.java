package dev.paritysync.royalty.dsp;

import java.time.YearMonth;
import java.util.Objects;

/**
 * One report as a DSP lists it: what a complete pull must add up to. Immutable.
 *
 * @param id the DSP's report id
 * @param period the month the report covers
 * @param rows how many rows the report has, valid and invalid alike
 * @param checksum lower-case hex SHA-256 of the rows in the DSP's canonical form ({@code
 *     sha256-canonical-v1}, see {@code docs/royalty.md})
 */
public record ReportManifest(String id, YearMonth period, long rows, String checksum) {

  /** Checks the values. */
  public ReportManifest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(checksum, "checksum");
    if (id.isBlank()) {
      throw new IllegalArgumentException("a report needs an id");
    }
    if (rows < 0) {
      throw new IllegalArgumentException("report " + id + ": rows must be >= 0, was " + rows);
    }
    if (!checksum.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "report " + id + ": checksum '" + checksum + "' is not 64 lower-case hex digits");
    }
  }
}
