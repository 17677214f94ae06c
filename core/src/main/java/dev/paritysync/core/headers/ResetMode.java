package dev.paritysync.core.headers;

/**
 * How a channel means its {@code RateLimit-Reset} / {@code X-RateLimit-Reset} header. The IETF
 * draft uses {@link #DELTA_SECONDS}; many older APIs (GitHub-style) send {@link #EPOCH_SECONDS}.
 * There is no default: the value alone cannot tell them apart reliably, so each channel's
 * configuration names its mode.
 */
public enum ResetMode {
  /** Seconds from the response until the quota resets. */
  DELTA_SECONDS,
  /** The Unix time (seconds since 1970-01-01T00:00:00Z) at which the quota resets. */
  EPOCH_SECONDS
}
