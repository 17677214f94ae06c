package dev.paritysync.core.quota;

import dev.paritysync.core.time.Clock;
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
import org.jspecify.annotations.Nullable;

/**
 * The {@link QuotaGate} of one process: windows per {@link QuotaKey} in memory, each key with one
 * or more (e.g. {@code 1460/1s} and {@code 36500/72h} at once), plus a pause per key for when the
 * channel says to back off (a 429 with Retry-After, or remaining 0 with a reset time).
 *
 * <p>Limits are configured per (channel, endpoint) and apply to every scope separately: each scope
 * gets its own windows. Endpoint {@code "*"} applies to any endpoint of the channel that has no
 * limits of its own.
 *
 * <p><b>Refill.</b> Every window refills <em>intervally</em>: all {@code capacity} tokens come back
 * at once, one {@code period} after the window started and every period after that; a key's windows
 * start full. A channel's "10 per minute" is a fixed or rolling window: after 10 calls the 11th
 * waits for the window, not for one sixth of it. A greedy refill (one token every 6 s) would let 19
 * calls through in the first minute and so overshoot the channel's own count on every start.
 *
 * <p><b>The channel's windows, not ours.</b> The same {@link QuotaWindows} and {@link QuotaFlights}
 * as the cluster's gate, so a channel's window never receives more than its capacity: a window
 * starts a guard (a tenth of its period, at most a second) after the take that opens it and is
 * anchored by the first answer ({@link #released}), so it never refills before the channel's; and a
 * request still open at a boundary, or ended within the window's phase before it, counts in the
 * next window too, since its arrival may fall in the channel's next window. Every take must
 * therefore be {@linkplain #released released} once; a take never released counts as in flight for
 * {@link #MAX_IN_FLIGHT}. Bucket4j, which this class used before, counts tokens with a phase fixed
 * at its first use, and can express neither.
 *
 * <p>All time comes from the injected {@link Clock}: windows use its monotonic {@link
 * Clock#nanoTime()} (in milliseconds; a release is counted when it is reported), pauses its wall
 * time {@link Clock#instant()}. Thread-safe: each key's state is read and changed under its lock.
 */
public final class Quotas implements QuotaGate {
  private static final String ANY_ENDPOINT = "*";

  /**
   * How long a take with no release counts as in flight, by default: twice the transport's default
   * request timeout, so a request that can still be on the wire is never forgotten.
   */
  public static final Duration MAX_IN_FLIGHT = Duration.ofSeconds(60);

  private final Clock clock;
  private final Map<String, Map<String, List<QuotaLimit>>> limits;
  private final long maxGuardMillis;
  private final long maxInFlightMillis;
  private final ConcurrentHashMap<QuotaKey, KeyWindows> states = new ConcurrentHashMap<>();

  private Quotas(Builder b, Map<String, Map<String, List<QuotaLimit>>> limits) {
    this.clock = b.clock;
    this.limits = limits;
    this.maxGuardMillis = b.maxGuard.toMillis();
    this.maxInFlightMillis = b.maxInFlight.toMillis();
  }

  /** A builder with no limits: every key allows everything until limits are added. */
  public static Builder builder(Clock clock) {
    return new Builder(clock);
  }

  /**
   * Takes {@code tokens} if every window allows it and the key is not paused, and returns {@link
   * Duration#ZERO}. Otherwise takes nothing and returns how long until it could: the longest of the
   * windows' refill waits and the pause. Keys with no configured limits always allow, except while
   * paused. Each token taken must be {@linkplain #released released}.
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
    KeyWindows state = state(key);
    synchronized (state) {
      for (QuotaLimit l : state.limits) {
        if (tokens > l.capacity()) {
          throw new IllegalArgumentException(
              tokens + " tokens exceed the capacity of window " + l + " for " + key);
        }
      }
      Duration pause = remaining(state.pausedUntil);
      if (state.windows == null) {
        return pause;
      }
      long now = millis();
      state.refill(now, maxGuardMillis, maxInFlightMillis);
      Duration wait = max(pause, Duration.ofMillis(state.windows.waitFor(tokens, now)));
      if (!wait.isZero()) {
        return wait;
      }
      state.windows.take(tokens, now, state.flights);
      return Duration.ZERO;
    }
  }

  /**
   * A request of {@code key} that took a token here ended: it leaves the key's flights, and when
   * {@code answered}, the key's windows not yet anchored start no sooner than now. Counted at the
   * monotonic time of this call ({@code at} is its wall time, which this gate does not use).
   */
  @Override
  public void released(QuotaKey key, Instant at, boolean answered) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(at, "at");
    KeyWindows state = states.get(key);
    if (state == null || state.windows == null) {
      return;
    }
    synchronized (state) {
      long now = millis();
      state.windows.release(now, answered, state.flights);
    }
  }

  /**
   * Pauses the whole key until {@code until}, in the wall time of the injected clock. A later pause
   * extends the current one; an earlier one never shortens it.
   */
  @Override
  public void pauseUntil(QuotaKey key, Instant until) {
    Objects.requireNonNull(until, "until");
    KeyWindows state = state(Objects.requireNonNull(key, "key"));
    synchronized (state) {
      if (state.pausedUntil == null || until.isAfter(state.pausedUntil)) {
        state.pausedUntil = until;
      }
    }
  }

  /** The instant the key's pause ends, when it is paused now. */
  @Override
  public Optional<Instant> pausedUntil(QuotaKey key) {
    KeyWindows state = states.get(key);
    if (state == null) {
      return Optional.empty();
    }
    synchronized (state) {
      Instant until = state.pausedUntil;
      return until == null || remaining(until).isZero() ? Optional.empty() : Optional.of(until);
    }
  }

  /** How long the key stays paused; {@link Duration#ZERO} when it is not. */
  @Override
  public Duration pauseRemaining(QuotaKey key) {
    KeyWindows state = states.get(key);
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
              long available = -1;
              List<Long> left = List.of();
              if (state.windows != null) {
                state.refill(millis(), maxGuardMillis, maxInFlightMillis);
                available = state.windows.available();
                left = state.windows.left();
              }
              out.add(
                  new KeyState(
                      key,
                      state.limits,
                      available,
                      left,
                      remaining(state.pausedUntil).isZero() ? null : state.pausedUntil));
            }
          }
        });
    out.sort(
        Comparator.comparing((KeyState k) -> k.key().endpoint())
            .thenComparing(k -> k.key().scope()));
    return out;
  }

  /**
   * One used key's state at the moment it was read.
   *
   * @param key the key
   * @param limits its windows; empty when unlimited
   * @param available tokens it could take now (the fewest over its windows); -1 when unlimited
   * @param left the tokens each window has now, in the order of {@code limits}; empty when
   *     unlimited
   * @param pausedUntil when its pause ends, or null when it is not paused
   */
  public record KeyState(
      QuotaKey key,
      List<QuotaLimit> limits,
      long available,
      List<Long> left,
      @Nullable Instant pausedUntil) {
    public KeyState {
      Objects.requireNonNull(key, "key");
      limits = List.copyOf(limits);
      left = List.copyOf(left);
      if (left.size() != limits.size()) {
        throw new IllegalArgumentException(
            key + ": " + left.size() + " windows' tokens for " + limits.size() + " windows");
      }
    }
  }

  /** The windows that apply to {@code key}; empty when it is unlimited. */
  @Override
  public List<QuotaLimit> limitsFor(QuotaKey key) {
    Map<String, List<QuotaLimit>> byEndpoint = limits.getOrDefault(key.channel(), Map.of());
    List<QuotaLimit> l = byEndpoint.get(key.endpoint());
    return l != null ? l : byEndpoint.getOrDefault(ANY_ENDPOINT, List.of());
  }

  private KeyWindows state(QuotaKey key) {
    return states.computeIfAbsent(key, k -> new KeyWindows(limitsFor(k), millis(), maxGuardMillis));
  }

  private long millis() {
    return Math.floorDiv(clock.nanoTime(), 1_000_000L);
  }

  private Duration remaining(@Nullable Instant until) {
    if (until == null) {
      return Duration.ZERO;
    }
    Duration d = Duration.between(clock.instant(), until);
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** One key's windows, requests in flight and pause; guarded by its own lock. */
  private static final class KeyWindows {
    final List<QuotaLimit> limits;
    final @Nullable QuotaWindows windows;
    final QuotaFlights flights = QuotaFlights.none();
    @Nullable Instant pausedUntil;

    KeyWindows(List<QuotaLimit> limits, long now, long maxGuard) {
      this.limits = limits;
      this.windows = limits.isEmpty() ? null : QuotaWindows.full(limits, now, maxGuard);
    }

    void refill(long now, long maxGuard, long maxInFlight) {
      QuotaWindows w = windows;
      if (w != null) { // a key without limits has nothing to refill
        w.refill(now, maxGuard, maxInFlight, flights);
      }
    }
  }

  /** Collects limits; {@link #build()} copies them. Not thread-safe. */
  public static final class Builder {
    private final Clock clock;
    private final Map<String, Map<String, List<QuotaLimit>>> limits = new HashMap<>();
    private Duration maxGuard = Duration.ofMillis(QuotaWindows.MAX_GUARD_MILLIS);
    private Duration maxInFlight = MAX_IN_FLIGHT;

    private Builder(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Limits every scope of {@code channel} on {@code endpoint} ({@code "*"}: any endpoint without
     * limits of its own) to all of {@code windows} at once.
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

    /**
     * A new window starts at most {@code maxGuard} after the take that opened it (default one
     * second; a tenth of the period when less; zero: at that take, as tests that count windows from
     * the first take want).
     */
    public Builder withMaxGuard(Duration maxGuard) {
      if (maxGuard.isNegative()) {
        throw new IllegalArgumentException("maxGuard must not be negative, was " + maxGuard);
      }
      this.maxGuard = maxGuard;
      return this;
    }

    /** A take never released counts as in flight this long (default {@link #MAX_IN_FLIGHT}). */
    public Builder withMaxInFlight(Duration maxInFlight) {
      if (maxInFlight.isNegative() || maxInFlight.isZero()) {
        throw new IllegalArgumentException("maxInFlight must be positive, was " + maxInFlight);
      }
      this.maxInFlight = maxInFlight;
      return this;
    }

    public Quotas build() {
      Map<String, Map<String, List<QuotaLimit>>> copy = new HashMap<>();
      limits.forEach((c, m) -> copy.put(c, Map.copyOf(m)));
      return new Quotas(this, Map.copyOf(copy));
    }
  }
}
