package dev.paritysync.core.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TokenStore} whose failures on the way out ({@link #publish}, {@link #abandon}, {@link
 * #invalidate}) are logged at WARN instead of thrown, so a failing store never costs a caller the
 * token it already has. {@link #read()} and {@link #tryBeginRefresh} still throw: the client then
 * refreshes on its own. Thread-safe as the store it wraps.
 */
final class GuardedTokenStore {
  private static final Logger log = LoggerFactory.getLogger(OAuth2ClientCredentials.class);

  private final TokenStore store;
  private final String client;

  /** {@code client} names the client in logs, such as "client x at https://…/token". */
  GuardedTokenStore(TokenStore store, String client) {
    this.store = store;
    this.client = client;
  }

  Optional<AccessToken> read() {
    return store.read();
  }

  boolean tryBeginRefresh(Duration lease) {
    return store.tryBeginRefresh(lease);
  }

  /**
   * After this caller took the refresh: the stored token when another caller published one since
   * {@code seen} was read and it is not due yet ({@code dueAt} of it is after {@code now}); null
   * otherwise, or when the store fails (logged; this caller then refreshes).
   */
  @Nullable AccessToken publishedSince(
      @Nullable AccessToken seen, Function<AccessToken, Instant> dueAt, Instant now) {
    try {
      AccessToken stored = store.read().orElse(null);
      return stored != null && !stored.equals(seen) && now.isBefore(dueAt.apply(stored))
          ? stored
          : null;
    } catch (RuntimeException e) {
      failed("read after taking the refresh", e);
      return null;
    }
  }

  void publish(AccessToken token) {
    try {
      store.publish(token);
    } catch (RuntimeException e) {
      failed("publish", e);
    }
  }

  void abandon() {
    try {
      store.abandon();
    } catch (RuntimeException e) {
      failed("abandon a refresh", e);
    }
  }

  void invalidate(AccessToken rejected) {
    try {
      store.invalidate(rejected);
    } catch (RuntimeException e) {
      failed("invalidate", e);
    }
  }

  void failed(String what, RuntimeException e) {
    // a store's exception names its database, never the token or the secret
    log.warn("token store of {} failed to {}: {}", client, what, e.toString());
  }
}
