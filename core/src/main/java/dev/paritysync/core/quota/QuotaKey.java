package dev.paritysync.core.quota;

import java.util.Objects;

/**
 * What a quota is counted against: a channel, one scope on it (whatever the channel counts its
 * quota per: an account, a tenant, a listing — the caller decides; use one constant scope when the
 * channel's quota is not split), and the kind of endpoint (e.g. {@code ari}, {@code reservations}).
 * Immutable.
 */
public record QuotaKey(String channel, String scope, String endpoint) {
  public QuotaKey {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(endpoint, "endpoint");
  }
}
