package dev.paritysync.core.quota;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where requests take their quota and learn the channel's pauses: token buckets per {@link
 * QuotaKey}, each with one or more windows, plus a pause per key for when the channel says to back
 * off (a 429 with Retry-After, or remaining 0 with a reset time).
 *
 * <p>{@link Quotas} keeps them in this process's memory (one process); a shared implementation
 * keeps them where every process of a cluster takes from the same buckets and honours the same
 * pauses. Implementations are thread-safe.
 */
public interface QuotaGate {

  /**
   * Takes {@code tokens} if every window allows it and the key is not paused, and returns {@link
   * Duration#ZERO}. Otherwise takes nothing and returns how long until it could: the longest of the
   * windows' refill waits and the pause. Keys with no configured limits always allow, except while
   * paused.
   *
   * @throws IllegalArgumentException when {@code tokens} is below 1 or exceeds a window's capacity
   *     (it could never be taken), naming the key and the window
   */
  Duration tryTake(QuotaKey key, long tokens);

  /**
   * A request of {@code key} that took a token here ended at {@code at}, in the wall time of the
   * injected clock: call it exactly once per token taken — when the answer arrived ({@code
   * answered} true, any HTTP status), when the exchange failed ({@code answered} false: the request
   * may or may not have arrived), or when the request was not sent after all. The channel counted
   * an answered request before {@code at}, so a gate that follows the channel's phase starts its
   * window no sooner than the first answer; a gate that counts requests in flight counts one in
   * every window its arrival could fall in, until it is released.
   */
  void released(QuotaKey key, Instant at, boolean answered);

  /**
   * Pauses the whole key until {@code until}, in the wall time of the injected clock. A later pause
   * extends the current one; an earlier one never shortens it.
   */
  void pauseUntil(QuotaKey key, Instant until);

  /** The instant the key's pause ends, when it is paused now. */
  Optional<Instant> pausedUntil(QuotaKey key);

  /** How long the key stays paused; {@link Duration#ZERO} when it is not. */
  Duration pauseRemaining(QuotaKey key);

  /**
   * The windows configured for {@code channel}, by endpoint ({@code "*"}: any endpoint without its
   * own); empty when the channel is unlimited. Read-only.
   */
  Map<String, List<QuotaLimit>> configured(String channel);

  /**
   * The keys of {@code channel} that have been used, each with the tokens it has now and its pause:
   * what an operator reads to see how close a channel is to its quota. Reads only; takes no token.
   * Keys never used have every window full.
   */
  List<Quotas.KeyState> used(String channel);

  /** The windows that apply to {@code key}; empty when it is unlimited. */
  List<QuotaLimit> limitsFor(QuotaKey key);
}
