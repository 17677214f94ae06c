package dev.paritysync.core.headers;

import dev.paritysync.core.http.Headers;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The wait a server asked for, from whichever header said it. Callers check the result against a
 * {@link WaitCeiling} before honouring it. Stateless and thread-safe.
 */
public final class ServerDelay {
  private ServerDelay() {}

  /**
   * The wait a server asked for: {@code Retry-After} if present and valid (see {@link
   * RetryAfter#from}); else, when the remaining quota is 0 and a reset is present, the reset (see
   * {@link RateLimitHeaders#parse}); else empty. An invalid Retry-After counts as absent.
   */
  public static Optional<Duration> requested(Headers headers, ResetMode mode, Instant now) {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(now, "now");
    Optional<Duration> retryAfter = RetryAfter.from(headers, now);
    if (retryAfter.isPresent()) {
      return retryAfter;
    }
    RateLimitInfo info = RateLimitHeaders.parse(headers, mode, now);
    return info.exhausted() ? info.reset() : Optional.empty();
  }
}
