package dev.paritysync.hotel.channel;

/**
 * How much one request to a channel may carry. Immutable.
 *
 * @param maxRangesPerRequest the most date ranges in one request, at least 1 (default {@value
 *     #DEFAULT_MAX_RANGES})
 * @param maxBytesPerRequest the largest estimated request body in bytes, at least 1 (default
 *     {@value #DEFAULT_MAX_BYTES})
 * @param perDayOnly whether the channel takes one date per range only (default false)
 */
public record ChannelLimits(int maxRangesPerRequest, long maxBytesPerRequest, boolean perDayOnly) {
  public static final int DEFAULT_MAX_RANGES = 100;
  public static final long DEFAULT_MAX_BYTES = 1_000_000;

  /** 100 ranges, 1,000,000 bytes, ranges of any length. */
  public static final ChannelLimits DEFAULTS =
      new ChannelLimits(DEFAULT_MAX_RANGES, DEFAULT_MAX_BYTES, false);

  public ChannelLimits {
    if (maxRangesPerRequest < 1) {
      throw new IllegalArgumentException(
          "maxRangesPerRequest must be ≥ 1, was " + maxRangesPerRequest);
    }
    if (maxBytesPerRequest < 1) {
      throw new IllegalArgumentException(
          "maxBytesPerRequest must be ≥ 1, was " + maxBytesPerRequest);
    }
  }
}
