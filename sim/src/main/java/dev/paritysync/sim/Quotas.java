package dev.paritysync.sim;

import dev.paritysync.core.time.Clock;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.local.LocalBucketBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One token bucket per (property, endpoint kind), with one bandwidth per configured window. A
 * window {@code N/period} holds N tokens and refills all N at the end of each period (a fixed
 * window, as most real APIs count), starting when the property is first seen. Thread-safe.
 */
final class Quotas {
  private final Map<String, List<QuotaSpec>> specs;
  private final ClockTimeMeter meter;
  private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  /**
   * @param allowed whether the request may go on
   * @param remaining tokens left after this request (the smallest over all windows)
   * @param resetNanos until the next request would be admitted when nothing remains (on refusal, or
   *     when this request took the last token); otherwise until every window is full again
   */
  record Decision(boolean allowed, long remaining, long resetNanos) {}

  Quotas(Map<String, List<String>> config, Clock clock) {
    Map<String, List<QuotaSpec>> parsed = new ConcurrentHashMap<>();
    config.forEach(
        (kind, list) -> {
          List<QuotaSpec> out = new ArrayList<>();
          for (int i = 0; i < list.size(); i++) {
            out.add(QuotaSpec.parse("quotas." + kind + "[" + i + "]", list.get(i)));
          }
          if (!out.isEmpty()) {
            parsed.put(kind, List.copyOf(out));
          }
        });
    this.specs = Map.copyOf(parsed);
    this.meter = new ClockTimeMeter(clock);
  }

  /** Takes one token for {@code property}'s {@code kind}, or returns null when it has no quota. */
  Decision take(String property, String kind) {
    List<QuotaSpec> windows = specs.get(kind);
    if (windows == null) {
      return null;
    }
    Bucket bucket = buckets.computeIfAbsent(kind + "\u0000" + property, k -> newBucket(windows));
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      long remaining = probe.getRemainingTokens();
      // With nothing left, a client told "reset in N s" pauses for N s: that must be when the
      // next request is admitted (the tightest window), not when the widest window is full.
      long reset =
          remaining == 0
              ? bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill()
              : probe.getNanosToWaitForReset();
      return new Decision(true, remaining, reset);
    }
    return new Decision(false, 0, probe.getNanosToWaitForRefill());
  }

  private Bucket newBucket(List<QuotaSpec> windows) {
    LocalBucketBuilder b = Bucket.builder().withCustomTimePrecision(meter);
    for (QuotaSpec w : windows) {
      b.addLimit(l -> l.capacity(w.limit()).refillIntervally(w.limit(), w.period()));
    }
    return b.build();
  }
}
