package dev.paritysync.royalty;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One delivery of a report as it arrives, read and validated but not yet written: what {@link
 * Deliveries#decide} judges against the deliveries already recorded. Immutable.
 *
 * @param report what the delivery is called: the file name, or the DSP's report id
 * @param reportId the report's identity within the source (see {@link IngestedDelivery#reportId})
 * @param route {@code file} or {@code api}
 * @param summary the run's counts, fingerprint and completeness
 * @param period the report's month ({@code yyyy-MM}), or null when it has none or several
 * @param territory the report's territory, or null when it has none or several
 * @param usageType the report's use type, or null when it has none or several
 */
public record Arrival(
    String report,
    String reportId,
    String route,
    RunSummary summary,
    @Nullable String period,
    @Nullable String territory,
    @Nullable String usageType) {

  /** Checks the required values. */
  public Arrival {
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(reportId, "reportId");
    Objects.requireNonNull(summary, "summary");
    if (!route.equals("file") && !route.equals("api")) {
      throw new IllegalArgumentException("route must be file or api, was " + route);
    }
  }

  /** The source the delivery is of. */
  public String source() {
    return summary.delivery().source();
  }
}
