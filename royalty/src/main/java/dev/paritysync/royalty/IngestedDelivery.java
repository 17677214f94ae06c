package dev.paritysync.royalty;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A recorded delivery of a report, as in the store's {@code royalty_deliveries} table: what came,
 * by which route, whether it was complete, and whether a later delivery of the same report has
 * replaced its rows. Immutable.
 *
 * @param id the record's id
 * @param source the configured source name
 * @param report what the delivery was called: the file name, or the DSP's report id
 * @param reportId the report's identity within the source, whatever the route: the DSP's report id,
 *     a DSR's MessageId (with {@code /FileNumber}), or the file name without its extensions; the
 *     lake's files of the report carry it
 * @param route {@code file} or {@code api}
 * @param sha256 lower-case hex SHA-256 of the delivered bytes (a pull: the manifest's checksum)
 * @param messageId the DSR message id, or null
 * @param rowsRead sales rows read
 * @param valid rows written to the lake
 * @param deadLettered rows sent to the dead-letter queue
 * @param warnings format defects accepted in lenient mode
 * @param at when the delivery was recorded
 * @param incomplete why it is not all there, or null when complete
 * @param replacedBy the id of the delivery that replaced its rows, or null while they are the
 *     report's
 * @param period the report's month ({@code yyyy-MM}) when it has one, else null
 * @param territory the report's territory when it has one, else null
 * @param usageType the report's use type when it has one, else null
 */
public record IngestedDelivery(
    String id,
    String source,
    String report,
    String reportId,
    String route,
    String sha256,
    @Nullable String messageId,
    long rowsRead,
    long valid,
    long deadLettered,
    long warnings,
    Instant at,
    @Nullable String incomplete,
    @Nullable String replacedBy,
    @Nullable String period,
    @Nullable String territory,
    @Nullable String usageType) {

  /** The fingerprint {@link Delivery#sameAs} compares. */
  public Delivery delivery() {
    return new Delivery(source, sha256, messageId);
  }

  /** True when the delivery was complete. */
  public boolean complete() {
    return incomplete == null;
  }

  /**
   * {@code complete}, {@code incomplete}, or {@code replaced} once another delivery replaced it.
   */
  public String state() {
    return replacedBy != null ? "replaced" : complete() ? "complete" : "incomplete";
  }
}
