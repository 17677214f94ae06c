package dev.paritysync.core.headers;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a response's rate-limit headers said: the requests remaining in the current quota window and
 * the wait until it resets, each absent when the server did not say (or said garbage). Immutable
 * and thread-safe.
 *
 * @param remaining requests remaining, never negative; empty when unknown
 * @param reset wait until the quota resets, never negative; empty when unknown
 */
public record RateLimitInfo(OptionalLong remaining, Optional<Duration> reset) {
  private static final RateLimitInfo NONE =
      new RateLimitInfo(OptionalLong.empty(), Optional.empty());

  public RateLimitInfo {
    Objects.requireNonNull(remaining, "remaining");
    Objects.requireNonNull(reset, "reset");
    if (remaining.isPresent() && remaining.getAsLong() < 0) {
      throw new IllegalArgumentException(
          "rate-limit remaining must not be negative, was " + remaining.getAsLong());
    }
    if (reset.isPresent() && reset.get().isNegative()) {
      throw new IllegalArgumentException(
          "rate-limit reset must not be negative, was " + reset.get());
    }
  }

  /** Nothing known: no remaining count, no reset. */
  public static RateLimitInfo none() {
    return NONE;
  }

  /** Whether the server said no requests remain: remaining is present and 0. */
  public boolean exhausted() {
    return remaining.isPresent() && remaining.getAsLong() == 0;
  }
}
