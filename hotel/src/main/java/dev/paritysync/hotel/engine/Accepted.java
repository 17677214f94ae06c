package dev.paritysync.hotel.engine;

import dev.paritysync.hotel.channel.UnmappedReport;
import java.util.List;
import java.util.Map;

/**
 * What {@link Ingest#accept} made durable. Immutable.
 *
 * @param version the version every cell written by this call carries
 * @param changeIds one id per change, in the order given
 * @param correlationIds one correlation id per change, in the order given; the ledger links each to
 *     every batch and attempt it causes
 * @param cells how many cells were written to truth
 * @param unmapped per channel, the cells kept out of its outbox because its mapping has no code for
 *     them; channels with nothing unmapped are absent
 */
public record Accepted(
    long version,
    List<String> changeIds,
    List<String> correlationIds,
    long cells,
    Map<String, UnmappedReport> unmapped) {
  public Accepted {
    changeIds = List.copyOf(changeIds);
    correlationIds = List.copyOf(correlationIds);
    unmapped = Map.copyOf(unmapped);
  }
}
