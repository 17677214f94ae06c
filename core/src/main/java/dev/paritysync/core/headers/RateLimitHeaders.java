package dev.paritysync.core.headers;

import dev.paritysync.core.http.Headers;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the remaining-quota and reset headers a channel sends: the IETF draft names {@code
 * RateLimit-Remaining} and {@code RateLimit-Reset}, and the older {@code X-RateLimit-Remaining} and
 * {@code X-RateLimit-Reset}. The combined structured {@code RateLimit} field of later drafts is not
 * read.
 *
 * <p>Each value must be {@code 1*DIGIT} (ASCII digits, no sign or fraction); anything else, or a
 * value that overflows, counts as absent. When both names of a header are present the unprefixed
 * IETF name wins; if its value is invalid it counts as absent and the {@code X-} value is used.
 * Never throws for a bad header value. Stateless and thread-safe.
 */
public final class RateLimitHeaders {
  private static final long MAX_EPOCH_SECONDS = Instant.MAX.getEpochSecond();

  private RateLimitHeaders() {}

  /**
   * Reads RateLimit-Remaining / X-RateLimit-Remaining and RateLimit-Reset / X-RateLimit-Reset (the
   * unprefixed IETF names win when both are present). Reset is delta seconds or epoch seconds per
   * {@code mode}; epoch resets are measured against the response Date when present and parseable,
   * else against {@code now}; a reset in the past is {@link Duration#ZERO}; garbage, negative
   * values and overflow (a wait over 10^9 s) are absent.
   */
  public static RateLimitInfo parse(Headers headers, ResetMode mode, Instant now) {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(now, "now");
    OptionalLong remaining = number(headers, "Remaining", Long.MAX_VALUE);
    Optional<Duration> reset;
    if (mode == ResetMode.DELTA_SECONDS) {
      OptionalLong seconds = number(headers, "Reset", RetryAfter.MAX_DELAY_SECONDS);
      reset =
          seconds.isPresent()
              ? Optional.of(Duration.ofSeconds(seconds.getAsLong()))
              : Optional.empty();
    } else {
      OptionalLong epoch = number(headers, "Reset", MAX_EPOCH_SECONDS);
      if (epoch.isPresent()) {
        Instant date = RetryAfter.responseDate(headers, now);
        Instant reference = date != null ? date : now;
        reset = RetryAfter.until(reference, Instant.ofEpochSecond(epoch.getAsLong()));
      } else {
        reset = Optional.empty();
      }
    }
    if (remaining.isEmpty() && reset.isEmpty()) {
      return RateLimitInfo.none();
    }
    return new RateLimitInfo(remaining, reset);
  }

  private static OptionalLong number(Headers headers, String suffix, long max) {
    OptionalLong ietf =
        headers
            .first("RateLimit-" + suffix)
            .map(v -> Digits.parse(v, max))
            .orElse(OptionalLong.empty());
    if (ietf.isPresent()) {
      return ietf;
    }
    return headers
        .first("X-RateLimit-" + suffix)
        .map(v -> Digits.parse(v, max))
        .orElse(OptionalLong.empty());
  }
}
