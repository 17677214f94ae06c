package dev.paritysync.royalty;

import java.time.Instant;

/**
 * A delivery whose rows reached the lake, as recorded in the store's {@code royalty_deliveries}
 * table. Immutable.
 *
 * @param id the record's id
 * @param source the configured source name
 * @param report the report identifier (usually the file name)
 * @param sha256 lower-case hex SHA-256 of the delivered bytes
 * @param messageId the DSR message id, or null
 * @param rowsRead sales rows read
 * @param valid rows written to the lake
 * @param deadLettered rows sent to the dead-letter queue
 * @param warnings format defects accepted in lenient mode
 * @param at when the ingest completed
 */
public record IngestedDelivery(
    String id,
    String source,
    String report,
    String sha256,
    String messageId,
    long rowsRead,
    long valid,
    long deadLettered,
    long warnings,
    Instant at) {

  /** The fingerprint {@link Delivery#sameAs} compares. */
  public Delivery delivery() {
    return new Delivery(source, sha256, messageId);
  }
}
