package dev.paritysync.core.quota;

import java.util.Objects;

/**
 * What a quota is counted against: a channel, one property (hotel, account) on it, and the kind of
 * endpoint (e.g. {@code ari}, {@code reservations}). Immutable.
 */
public record QuotaKey(String channel, String property, String endpoint) {
  public QuotaKey {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(property, "property");
    Objects.requireNonNull(endpoint, "endpoint");
  }
}
