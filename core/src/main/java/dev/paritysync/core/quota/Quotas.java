package dev.paritysync.core.quota;

import dev.paritysync.core.time.Clock;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.LocalBucketBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link QuotaGate} of one process: token buckets per {@link QuotaKey} in memory, each with one
 * or more windows (e.g. {@code 1460/1s} and {@code 36500/72h} at once), plus a pause per key for
 * when the channel says to back off (a 429 with Retry-After, or remaining 0 with a reset time).
 *
 * <p>Limits are configured per (channel, endpoint) and apply to every property separately: each
 * property gets its own bucket. Endpoint {@code "*"} applies to any endpoint of the channel that
 * has no limits of its own.
 *
 * <p><b>Refill.</b> Every window refills <em>intervally</em>: all {@code capacity} tokens come back
 * at once, one {@code period} after the bucket was created and every period after that. Its buckets
 * start full. A channel's "10 per minute" is a fixed or rolling window: after 10 calls the 11th
 * waits for the window, not for one sixth of it. A greedy refill (one token every 6 s) would let 19
 * calls through in the first minute and so overshoot the channel's own count on every start;
 * interval refill never lets more than {@code capacity} through within one of our windows. Our
 * windows are not aligned with the channel's, so across a boundary up to twice the capacity can
 * fall into one of the channel's windows; the channel's 429 then pauses the key ({@link
 * #pauseUntil}), and operators who need a hard guarantee configure a slightly lower capacity.
 *
 * <p>All time comes from the injected {@link Clock}: windows use its monotonic {@link
 * Clock#nanoTime()}, pauses its wall time {@link Clock#instant()}. Thread-safe: checking the pause
 * and taking from every window happen atomically per key.
 */
public final class Quotas implements QuotaGate {
  private static final String ANY_ENDPOINT = "*";

  /*
   * Bucket4j computes refills as tokens × elapsed nanoseconds in a long, and silently saturates:
   * 36500 tokens per 72 h is 9.5e18 and already overflows. So we hand it microseconds dressed as
   * nanoseconds (the meter, the periods and the waits are all scaled by the same factor); it also
   * refuses more than one token per unit, so microseconds allow up to a million per second.
   * QuotaLimit checks both bounds. Flooring "now" to whole microseconds can only make a reported
   * wait longer, never shorter.
   */
  static final long NANOS_PER_UNIT = 1_000L;

  private final Clock clock;
  private final TimeMeter meter;
  private final Map<String, Map<String, List<QuotaLimit>>> limits;
  private final ConcurrentHashMap<QuotaKey, Window> states = new ConcurrentHashMap<>();

  private Quotas(Clock clock, Map<String, Map<String, List<QuotaLimit>>> limits) {
    this.clock = clock;
    this.limits = limits;
    this.meter =
        new TimeMeter() {
          @Override
          public long currentTimeNanos() {
            return Math.floorDiv(clock.nanoTime(), NANOS_PER_UNIT);
          }

          @Override
          public boolean isWallClockBased() {
            return false;
          }
        };
  }

  /** A builder with no limits: every key allows everything until limits are added. */
  public static Builder builder(Clock clock) {
    return new Builder(clock);
  }

  /**
   * Takes {@code tokens} if every window allows it and the key is not paused, and returns {@link
   * Duration#ZERO}. Otherwise takes nothing and returns how long until it could: the longest of the
   * windows' refill waits and the pause. Keys with no configured limits always allow, except while
   * paused.
   *
   * @throws IllegalArgumentException when {@code tokens} is below 1 or exceeds a window's capacity
   *     (it could never be taken), naming the key and the window
   */
  @Override
  public Duration tryTake(QuotaKey key, long tokens) {
    Objects.requireNonNull(key, "key");
    if (tokens < 1) {
      throw new IllegalArgumentException("tokens must be at least 1, was " + tokens);
    }
    Window state = state(key);
    synchronized (state) {
      for (QuotaLimit l : state.limits) {
        if (tokens > l.capacity()) {
          throw new IllegalArgumentException(
              tokens + " tokens exceed the capacity of window " + l + " for " + key);
        }
      }
      Duration pause = remaining(state.pausedUntil);
      if (state.bucket == null) {
        return pause;
      }
      if (!pause.isZero()) {
        long refill = state.bucket.estimateAbilityToConsume(tokens).getNanosToWaitForRefill();
        return max(pause, fromUnits(refill));
      }
      ConsumptionProbe probe = state.bucket.tryConsumeAndReturnRemaining(tokens);
      return probe.isConsumed() ? Duration.ZERO : fromUnits(probe.getNanosToWaitForRefill());
    }
  }

  /**
   * Changes nothing: a Bucket4j bucket's refill phase is fixed when it is built (at the key's first
   * use) and it counts tokens, not requests in flight, so this gate can neither follow the
   * channel's phase nor count a request in both windows its arrival could fall in, as the cluster's
   * does; see the class comment for what that allows across a window boundary and how a {@code
   * Remaining: 0} answer or a slightly lower capacity covers it.
   */
  @Override
  public void released(QuotaKey key, Instant at, boolean answered) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(at, "at");
  }

  /**
   * Pauses the whole key until {@code until}, in the wall time of the injected clock. A later pause
   * extends the current one; an earlier one never shortens it.
   */
  @Override
  public void pauseUntil(QuotaKey key, Instant until) {
    Objects.requireNonNull(until, "until");
    Window state = state(Objects.requireNonNull(key, "key"));
    synchronized (state) {
      if (state.pausedUntil == null || until.isAfter(state.pausedUntil)) {
        state.pausedUntil = until;
      }
    }
  }

  /** The instant the key's pause ends, when it is paused now. */
  @Override
  public Optional<Instant> pausedUntil(QuotaKey key) {
    Window state = states.get(key);
    if (state == null) {
      return Optional.empty();
    }
    synchronized (state) {
      return remaining(state.pausedUntil).isZero()
          ? Optional.empty()
          : Optional.of(state.pausedUntil);
    }
  }

  /** How long the key stays paused; {@link Duration#ZERO} when it is not. */
  @Override
  public Duration pauseRemaining(QuotaKey key) {
    Window state = states.get(key);
    if (state == null) {
      return Duration.ZERO;
    }
    synchronized (state) {
      return remaining(state.pausedUntil);
    }
  }

  /**
   * The windows configured for {@code channel}, by endpoint ({@code "*"}: any endpoint without its
   * own); empty when the channel is unlimited. Read-only.
   */
  @Override
  public Map<String, List<QuotaLimit>> configured(String channel) {
    return limits.getOrDefault(Objects.requireNonNull(channel, "channel"), Map.of());
  }

  /**
   * The keys of {@code channel} that have been used in this process, each with the tokens it has
   * now and its pause: what an operator reads to see how close a channel is to its quota. Reads
   * only; takes no token. Keys never used have every window full.
   */
  @Override
  public List<KeyState> used(String channel) {
    Objects.requireNonNull(channel, "channel");
    List<KeyState> out = new ArrayList<>();
    states.forEach(
        (key, state) -> {
          if (key.channel().equals(channel)) {
            synchronized (state) {
              out.add(
                  new KeyState(
                      key,
                      state.limits,
                      state.bucket == null ? -1 : state.bucket.getAvailableTokens(),
                      remaining(state.pausedUntil).isZero() ? null : state.pausedUntil));
            }
          }
        });
    out.sort(
        Comparator.comparing((KeyState k) -> k.key().endpoint())
            .thenComparing(k -> k.key().property()));
    return out;
  }

  /**
   * One used key's state at the moment it was read.
   *
   * @param key the key
   * @param limits its windows; empty when unlimited
   * @param available tokens it could take now (the fewest over its windows); -1 when unlimited
   * @param pausedUntil when its pause ends, or null when it is not paused
   */
  public record KeyState(
      QuotaKey key, List<QuotaLimit> limits, long available, Instant pausedUntil) {
    public KeyState {
      Objects.requireNonNull(key, "key");
      limits = List.copyOf(limits);
    }
  }

  /** The windows that apply to {@code key}; empty when it is unlimited. */
  @Override
  public List<QuotaLimit> limitsFor(QuotaKey key) {
    Map<String, List<QuotaLimit>> byEndpoint = limits.getOrDefault(key.channel(), Map.of());
    List<QuotaLimit> l = byEndpoint.get(key.endpoint());
    return l != null ? l : byEndpoint.getOrDefault(ANY_ENDPOINT, List.of());
  }

  private Window state(QuotaKey key) {
    return states.computeIfAbsent(key, k -> new Window(limitsFor(k), meter));
  }

  private Duration remaining(Instant until) {
    if (until == null) {
      return Duration.ZERO;
    }
    Duration d = Duration.between(clock.instant(), until);
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static Duration fromUnits(long units) {
    return Duration.ofNanos(Math.multiplyExact(units, NANOS_PER_UNIT));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static final class Window {
    final List<QuotaLimit> limits;
    final Bucket bucket;
    Instant pausedUntil;

    Window(List<QuotaLimit> limits, TimeMeter meter) {
      this.limits = limits;
      if (limits.isEmpty()) {
        this.bucket = null;
      } else {
        LocalBucketBuilder b = Bucket.builder().withCustomTimePrecision(meter);
        for (QuotaLimit l : limits) {
          b.addLimit(
              Bandwidth.builder()
                  .capacity(l.capacity())
                  .refillIntervally(
                      l.capacity(), Duration.ofNanos(l.period().toNanos() / NANOS_PER_UNIT))
                  .build());
        }
        this.bucket = b.build();
      }
    }
  }

  /** Collects limits; {@link #build()} copies them. Not thread-safe. */
  public static final class Builder {
    private final Clock clock;
    private final Map<String, Map<String, List<QuotaLimit>>> limits = new HashMap<>();

    private Builder(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Limits every property of {@code channel} on {@code endpoint} ({@code "*"}: any endpoint
     * without limits of its own) to all of {@code windows} at once.
     *
     * @throws IllegalArgumentException when the windows are empty or the pair was already set
     */
    public Builder withLimits(String channel, String endpoint, List<QuotaLimit> windows) {
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(endpoint, "endpoint");
      List<QuotaLimit> copy = List.copyOf(windows);
      if (copy.isEmpty()) {
        throw new IllegalArgumentException(
            "quota for channel '" + channel + "' endpoint '" + endpoint + "' has no windows");
      }
      Map<String, List<QuotaLimit>> byEndpoint =
          limits.computeIfAbsent(channel, c -> new HashMap<>());
      if (byEndpoint.containsKey(endpoint)) {
        throw new IllegalArgumentException(
            "quota for channel '" + channel + "' endpoint '" + endpoint + "' is set twice");
      }
      byEndpoint.put(endpoint, copy);
      return this;
    }

    public Quotas build() {
      Map<String, Map<String, List<QuotaLimit>>> copy = new HashMap<>();
      limits.forEach((c, m) -> copy.put(c, Map.copyOf(m)));
      return new Quotas(clock, Map.copyOf(copy));
    }
  }
}
