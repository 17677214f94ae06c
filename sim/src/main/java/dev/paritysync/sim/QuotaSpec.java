package dev.paritysync.sim;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One quota window, {@code N/period}: at most {@code limit} requests per {@code period}. */
record QuotaSpec(long limit, Duration period) {
  private static final Pattern SPEC = Pattern.compile("\\s*(\\d+)\\s*/\\s*(\\S+)\\s*");

  static QuotaSpec parse(String key, String spec) {
    if (spec == null) {
      throw new IllegalArgumentException(key + ": expected N/period like 10/1m, got null");
    }
    Matcher m = SPEC.matcher(spec);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          key + ": expected N/period like 10/1m, got '" + spec + "'");
    }
    long limit;
    try {
      limit = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": limit too large in '" + spec + "'", e);
    }
    if (limit < 1) {
      throw new IllegalArgumentException(key + ": limit must be at least 1 in '" + spec + "'");
    }
    String period = m.group(2);
    // "10/m" means one minute.
    Duration d =
        dev.paritysync.core.config.Durations.parse(
            key, Character.isDigit(period.charAt(0)) ? period : "1" + period);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(key + ": period must be positive in '" + spec + "'");
    }
    return new QuotaSpec(limit, d);
  }
}
