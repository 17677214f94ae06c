package dev.paritysync.hotel.channel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The PMS codes that had cells a channel did not receive because the channel mapping has no code
 * for them, each with the number of such cells. Immutable; maps iterate in code order.
 *
 * @param rooms unmapped PMS room type code → cells not sent
 * @param ratePlans unmapped PMS rate plan code → cells not sent
 */
public record UnmappedReport(Map<String, Long> rooms, Map<String, Long> ratePlans) {
  /** A report of nothing unmapped. */
  public static final UnmappedReport EMPTY = new UnmappedReport(Map.of(), Map.of());

  public UnmappedReport {
    rooms = Collections.unmodifiableMap(new LinkedHashMap<>(new TreeMap<>(rooms)));
    ratePlans = Collections.unmodifiableMap(new LinkedHashMap<>(new TreeMap<>(ratePlans)));
  }

  /** Whether every cell was mapped. */
  public boolean isEmpty() {
    return rooms.isEmpty() && ratePlans.isEmpty();
  }

  /** This report and {@code other} added up, e.g. over several batches. */
  public UnmappedReport plus(UnmappedReport other) {
    Map<String, Long> r = new TreeMap<>(rooms);
    other.rooms.forEach((k, v) -> r.merge(k, v, Long::sum));
    Map<String, Long> p = new TreeMap<>(ratePlans);
    other.ratePlans.forEach((k, v) -> p.merge(k, v, Long::sum));
    return new UnmappedReport(r, p);
  }
}
