package dev.paritysync.sim;

import dev.paritysync.core.time.Clock;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.local.LocalBucketBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * One token bucket per (property, endpoint kind), with one bandwidth per configured window. A
 * window {@code N/period} holds N tokens and refills all N at the end of each period (a fixed
 * window, as most real APIs count), starting when the property is first seen. Beside each bucket it
 * counts the requests every window received, refused ones included, and keeps the largest count of
 * any one window: what a channel's own accounting would hold against the client. Thread-safe.
 */
final class Quotas {
  private final Map<String, List<QuotaSpec>> specs;
  private final Clock clock;
  private final ClockTimeMeter meter;
  private final ConcurrentMap<String, Key> keys = new ConcurrentHashMap<>();

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
    this.clock = clock;
    this.meter = new ClockTimeMeter(clock);
  }

  /** Takes one token for {@code property}'s {@code kind}, or returns null when it has no quota. */
  @Nullable Decision take(String property, String kind) {
    List<QuotaSpec> windows = specs.get(kind);
    if (windows == null) {
      return null;
    }
    Key key =
        keys.computeIfAbsent(
            property + "/" + kind, k -> new Key(newBucket(windows), windows, clock.nanoTime()));
    // Counted and taken under one lock, so a request counted in a window is taken in it too.
    synchronized (key) {
      key.count(clock.nanoTime());
      Bucket bucket = key.bucket;
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
  }

  /**
   * Per key and window, {@code "property/kind N/period"}, the most requests one window of it
   * received (refused ones included); keys never asked are absent.
   */
  Map<String, Long> peaks() {
    Map<String, Long> out = new LinkedHashMap<>();
    keys.forEach(
        (name, key) -> {
          synchronized (key) {
            for (int i = 0; i < key.specs.size(); i++) {
              QuotaSpec s = key.specs.get(i);
              out.put(name + " " + s.limit() + "/" + s.period(), key.peak[i]);
            }
          }
        });
    return out;
  }

  private Bucket newBucket(List<QuotaSpec> windows) {
    LocalBucketBuilder b = Bucket.builder().withCustomTimePrecision(meter);
    for (QuotaSpec w : windows) {
      b.addLimit(l -> l.capacity(w.limit()).refillIntervally(w.limit(), w.period()));
    }
    return b.build();
  }

  /**
   * A key's bucket and its request counts. Bucket4j refills a window intervally from the bucket's
   * creation, so window {@code i} of the count starts at {@code start + i × period}: the same
   * windows the bucket refills on.
   */
  private static final class Key {
    final Bucket bucket;
    final List<QuotaSpec> specs;
    final long start;
    final long[] window;
    final long[] count;
    final long[] peak;

    Key(Bucket bucket, List<QuotaSpec> specs, long start) {
      this.bucket = bucket;
      this.specs = specs;
      this.start = start;
      this.window = new long[specs.size()];
      this.count = new long[specs.size()];
      this.peak = new long[specs.size()];
    }

    void count(long now) { // under the key's lock
      for (int i = 0; i < specs.size(); i++) {
        long index = Math.floorDiv(now - start, specs.get(i).period().toNanos());
        if (index != window[i]) {
          window[i] = index;
          count[i] = 0;
        }
        count[i]++;
        peak[i] = Math.max(peak[i], count[i]);
      }
    }
  }
}
