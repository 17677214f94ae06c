package dev.paritysync.core.auth;

import java.time.Duration;
import java.util.Optional;

/**
 * Where an OAuth2 client keeps its token beside its own cache, so the processes of a cluster share
 * one token and one refresh. {@link OAuth2ClientCredentials.Builder#withTokenStore(TokenStore)}
 * takes one; a store in a shared database (module {@code store}) lets N workers of one channel ask
 * the token endpoint once per expiry instead of N times.
 *
 * <p>Each instance speaks for one caller (one process of the cluster): {@link #tryBeginRefresh}
 * makes this caller the refresher, and {@link #publish} or {@link #abandon} end only this caller's
 * refresh. Implementations are thread-safe; their methods may block (they talk to a database) and
 * throw a {@link RuntimeException} when the store fails, which clients treat as "no store".
 */
public interface TokenStore {

  /** The stored token, possibly near or past its expiry; empty when none is stored. */
  Optional<AccessToken> read();

  /**
   * Asks to be the one refresher: true when no other caller refreshes (or the other's lease has
   * ended, or this caller already refreshes), in which case this caller refreshes until now plus
   * {@code lease}; false while another caller's lease runs.
   */
  boolean tryBeginRefresh(Duration lease);

  /** Stores {@code token} as the fresh one for every caller, and ends this caller's refresh. */
  void publish(AccessToken token);

  /** Ends this caller's refresh without a token (the refresh failed), so another may try. */
  void abandon();

  /**
   * Called on a 401: drops the stored token if it is still {@code rejected}; a token that has
   * already been replaced is kept.
   */
  void invalidate(AccessToken rejected);
}
