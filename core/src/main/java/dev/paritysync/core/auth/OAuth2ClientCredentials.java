package dev.paritysync.core.auth;

import dev.paritysync.core.backoff.Backoff;
import dev.paritysync.core.http.CallContext;
import dev.paritysync.core.http.Redaction;
import dev.paritysync.core.http.Response;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.http.TransportException;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access tokens from an OAuth2 token endpoint by the client credentials grant (RFC 6749 §4.4),
 * cached until shortly before they expire.
 *
 * <p>Defaults: refresh skew 60 s (capped, per token, at half its lifetime so short-lived tokens are
 * not refreshed on every call); backoff 0.5 s ×2, cap 10 s, 4 retries, full jitter; client
 * authentication {@link AuthMethod#BASIC} ({@code client_secret_basic}); no scope; channel name
 * {@code oauth2} in the {@link CallContext} of token requests; a fresh {@link SplittableRandom}.
 *
 * <p>Errors: a token endpoint answering {@code invalid_client}, {@code unauthorized_client}, {@code
 * invalid_grant} or {@code invalid_scope} (RFC 6749 §5.2), or a 401/403, fails at once with a
 * {@link CredentialsException} of reason {@code credentials}. A 5xx, a 429, a 2xx without a usable
 * token and transport failures are retried with the backoff, each wait scheduled on the {@link
 * Scheduler} (nothing sleeps); when retries run out, reason {@code token_endpoint}. Any other
 * status fails at once with reason {@code token_endpoint}, since repeating it will not help. When a
 * refresh fails while the cached token has not yet expired (a proactive refresh inside the skew),
 * callers get the cached token and the failure is logged at WARN.
 *
 * <p>With a {@link TokenStore} ({@link Builder#withTokenStore}), the processes of a cluster share
 * one token and one refresh. A stale cache first looks in the store: a stored token outside the
 * refresh skew (capped at half of what is left of it) is taken; else the caller refreshes if the
 * store lets it (for at most 60 s) and publishes or abandons; else another process refreshes, and
 * the stored token serves while it has not expired, or the store is re-read every 250 ms on the
 * {@link Scheduler} until a fresh token appears or the refresher's lease ends. A failing store is
 * logged at WARN and bypassed.
 *
 * <p>Thread-safe. At most one refresh is in flight: every caller that needs a token while it runs
 * gets a view of the same refresh. The client secret and token values are never logged and never
 * appear in {@code toString()}.
 */
public final class OAuth2ClientCredentials {
  private static final Logger log = LoggerFactory.getLogger(OAuth2ClientCredentials.class);
  private static final Set<String> CREDENTIAL_ERRORS =
      Set.of("invalid_client", "unauthorized_client", "invalid_grant", "invalid_scope");
  private static final Duration STORE_LEASE = Duration.ofSeconds(60);
  private static final Duration STORE_POLL = Duration.ofMillis(250);

  /** How the client authenticates to the token endpoint (RFC 6749 §2.3.1). */
  public enum AuthMethod {
    /** {@code client_secret_basic}: HTTP Basic with the form-encoded id and secret. */
    BASIC,
    /** {@code client_secret_post}: {@code client_id} and {@code client_secret} in the body. */
    POST
  }

  private final Transport transport;
  private final Scheduler scheduler;
  private final Clock clock;
  private final URI tokenUri;
  private final String clientId;
  private final Secret clientSecret;
  private final @Nullable String scope;
  private final Duration skew;
  private final Backoff backoff;
  private final RandomGenerator random;
  private final AuthMethod authMethod;
  private final String channel;
  private final @Nullable GuardedTokenStore store; // null: no store

  private final Object lock = new Object();
  private @Nullable Cached cached; // guarded by lock
  private @Nullable CompletableFuture<AccessToken> inflight; // guarded by lock
  private @Nullable CompletableFuture<AccessToken> storeRefresh; // guarded by lock, in the store

  private record Cached(AccessToken token, Instant refreshAt) {}

  private OAuth2ClientCredentials(Builder b) {
    this.transport = b.transport;
    this.scheduler = b.scheduler;
    this.clock = b.scheduler.clock();
    this.tokenUri = Objects.requireNonNull(b.tokenUri, "tokenUri"); // build() checked all three
    this.clientId = Objects.requireNonNull(b.clientId, "clientId");
    this.clientSecret = Objects.requireNonNull(b.clientSecret, "clientSecret");
    this.scope = b.scope;
    this.skew = b.skew;
    this.backoff = b.backoff;
    this.random = b.random == null ? new SplittableRandom() : b.random;
    this.authMethod = b.authMethod;
    this.channel = b.channel;
    this.store =
        b.store == null
            ? null
            : new GuardedTokenStore(b.store, "client " + clientId + " at " + redactedUri());
  }

  /** A builder for a client that sends through {@code transport} and waits on {@code scheduler}. */
  public static Builder builder(Transport transport, Scheduler scheduler) {
    return new Builder(transport, scheduler);
  }

  /**
   * A valid token: the cached one unless it is within the refresh skew of its expiry, else the
   * result of a refresh (or, with a {@link TokenStore}, of the store: see the class comment).
   * Exactly one refresh is in flight however many callers wait; each caller gets its own view of
   * it, so cancelling one caller's future cancels nothing else. Fails with a {@link
   * CredentialsException}.
   */
  public CompletableFuture<AccessToken> token() {
    CompletableFuture<AccessToken> refresh;
    CallContext context;
    synchronized (lock) {
      if (cached != null && clock.instant().isBefore(cached.refreshAt())) {
        return CompletableFuture.completedFuture(cached.token());
      }
      if (inflight != null) {
        return inflight.copy();
      }
      refresh = new CompletableFuture<>();
      inflight = refresh;
      context = CallContext.newRoot(channel, null, random);
    }
    if (store == null) {
      attempt(refresh, context, 0, null);
    } else {
      fromStore(refresh, context);
    }
    return refresh.copy();
  }

  /** One look at the store: adopt its token, refresh for the cluster, or wait for the refresher. */
  private void fromStore(CompletableFuture<AccessToken> refresh, CallContext context) {
    GuardedTokenStore store = Objects.requireNonNull(this.store, "store"); // only called with one
    AccessToken stored;
    boolean refresher;
    try {
      stored = store.read().orElse(null);
      if (stored != null) {
        Instant refreshAt;
        synchronized (lock) {
          refreshAt =
              cached != null && cached.token().equals(stored)
                  ? cached.refreshAt()
                  : TokenProtocol.adoptedRefreshAt(stored, skew, clock.instant());
        }
        if (clock.instant().isBefore(refreshAt)) {
          complete(refresh, new Cached(stored, refreshAt), stored);
          return;
        }
      }
      refresher = store.tryBeginRefresh(STORE_LEASE);
    } catch (RuntimeException e) {
      store.failed("read (refreshing without it)", e);
      attempt(refresh, context, 0, null);
      return;
    }
    if (refresher) {
      // Another process may have published between the read above and this lease: it ends its
      // refresh as it publishes, so the lease comes free with a fresh token already stored.
      Instant now = clock.instant();
      AccessToken fresh =
          store.publishedSince(stored, t -> TokenProtocol.adoptedRefreshAt(t, skew, now), now);
      if (fresh != null) {
        store.abandon();
        complete(
            refresh, new Cached(fresh, TokenProtocol.adoptedRefreshAt(fresh, skew, now)), fresh);
        return;
      }
      synchronized (lock) {
        storeRefresh = refresh;
        if (stored != null && (cached == null || !cached.token().equals(stored))) {
          cached = new Cached(stored, clock.instant()); // stale, but kept should the refresh fail
        }
      }
      attempt(refresh, context, 0, null);
    } else if (stored != null && clock.instant().isBefore(stored.expiresAt())) {
      complete(refresh, null, stored); // another process refreshes; this one still works
    } else {
      scheduler.schedule(STORE_POLL, () -> fromStore(refresh, context));
    }
  }

  /** Ends {@code refresh} with {@code token}, caching {@code cache} unless it is null. */
  private void complete(
      CompletableFuture<AccessToken> refresh, @Nullable Cached cache, AccessToken token) {
    synchronized (lock) {
      if (cache != null) {
        cached = cache;
      }
      if (inflight == refresh) {
        inflight = null;
      }
    }
    refresh.complete(token);
  }

  /** Whether {@code refresh} began a refresh in the store (and so must end it), ending that. */
  private boolean endsStoreRefresh(CompletableFuture<AccessToken> refresh) {
    synchronized (lock) {
      if (storeRefresh == refresh) {
        storeRefresh = null;
        return true;
      }
      return false;
    }
  }

  /**
   * Called on a 401: drops the cached token if it is still {@code rejected}, so the next {@link
   * #token()} refreshes. A token that has already been replaced is kept. With a {@link TokenStore},
   * the stored token is dropped too if it is still {@code rejected}.
   */
  public void invalidate(AccessToken rejected) {
    Objects.requireNonNull(rejected, "rejected");
    synchronized (lock) {
      if (cached != null && cached.token().equals(rejected)) {
        cached = null;
        log.debug("token for client {} at {} invalidated", clientId, redactedUri());
      }
    }
    if (store != null) {
      store.invalidate(rejected);
    }
  }

  private void attempt(
      CompletableFuture<AccessToken> refresh,
      CallContext context,
      int retries,
      @Nullable Duration previous) {
    CompletableFuture<Response> sent;
    try {
      sent =
          transport.send(
              TokenProtocol.tokenRequest(tokenUri, clientId, clientSecret, scope, authMethod),
              context.withAttempt(retries + 1));
    } catch (RuntimeException e) { // a closed transport: retrying cannot help
      fail(refresh, CredentialsException.TOKEN_ENDPOINT, "cannot send to the token endpoint", e);
      return;
    }
    sent.whenComplete(
        (response, error) -> {
          try {
            handle(refresh, context, retries, previous, response, error);
          } catch (RuntimeException e) {
            fail(refresh, CredentialsException.TOKEN_ENDPOINT, "unexpected failure", e);
          }
        });
  }

  private void handle(
      CompletableFuture<AccessToken> refresh,
      CallContext context,
      int retries,
      @Nullable Duration previous,
      Response response,
      @Nullable Throwable error) {
    if (error != null) {
      Throwable cause =
          error instanceof CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      String what =
          cause instanceof TransportException te ? te.kind().name() : cause.getClass().getName();
      retryOrFail(refresh, context, retries, previous, "transport failure " + what, cause);
      return;
    }
    int status = response.status();
    if (status >= 200 && status < 300) {
      AccessToken token = TokenProtocol.parseToken(response, clock.instant());
      if (token == null) {
        retryOrFail(
            refresh,
            context,
            retries,
            previous,
            "status " + status + " without a usable access_token",
            null);
      } else {
        succeed(refresh, token);
      }
      return;
    }
    if (status == 429 || status >= 500) {
      retryOrFail(refresh, context, retries, previous, "status " + status, null);
      return;
    }
    String code = TokenProtocol.errorCode(response);
    String detail = "status " + status + (code == null ? "" : " error " + code);
    if (status == 401 || status == 403 || code != null && CREDENTIAL_ERRORS.contains(code)) {
      fail(
          refresh,
          CredentialsException.CREDENTIALS,
          "rejected the client credentials: " + detail,
          null);
    } else {
      fail(
          refresh,
          CredentialsException.TOKEN_ENDPOINT,
          "answered " + detail + " (not retried)",
          null);
    }
  }

  private void retryOrFail(
      CompletableFuture<AccessToken> refresh,
      CallContext context,
      int retries,
      @Nullable Duration previous,
      String what,
      @Nullable Throwable cause) {
    if (!backoff.allowsRetry(retries)) {
      fail(
          refresh,
          CredentialsException.TOKEN_ENDPOINT,
          "failed after " + (retries + 1) + " attempts, the last with " + what,
          cause);
      return;
    }
    Duration delay;
    synchronized (lock) {
      delay = backoff.delay(retries + 1, previous, random);
    }
    log.debug(
        "token endpoint {} attempt {} failed with {}; retrying in {} ms",
        redactedUri(),
        retries + 1,
        what,
        delay.toMillis());
    scheduler.schedule(delay, () -> attempt(refresh, context, retries + 1, delay));
  }

  private void succeed(CompletableFuture<AccessToken> refresh, AccessToken token) {
    if (endsStoreRefresh(refresh) && store != null) {
      store.publish(token);
    }
    log.debug(
        "token for client {} from {} expires at {}", clientId, redactedUri(), token.expiresAt());
    Duration half = Duration.between(clock.instant(), token.expiresAt()).dividedBy(2);
    Instant refreshAt = token.expiresAt().minus(skew.compareTo(half) > 0 ? half : skew);
    complete(refresh, new Cached(token, refreshAt), token);
  }

  private void fail(
      CompletableFuture<AccessToken> refresh,
      String reason,
      String what,
      @Nullable Throwable cause) {
    if (endsStoreRefresh(refresh) && store != null) {
      store.abandon();
    }
    AccessToken stillValid = null;
    synchronized (lock) {
      if (inflight == refresh) {
        inflight = null;
      }
      if (cached != null && clock.instant().isBefore(cached.token().expiresAt())) {
        stillValid = cached.token();
      }
    }
    String message = "token endpoint " + redactedUri() + " for client " + clientId + ": " + what;
    if (stillValid != null) {
      log.warn(
          "{}; keeping the cached token until it expires at {}", message, stillValid.expiresAt());
      refresh.complete(stillValid);
    } else {
      log.warn("{} (reason {})", message, reason);
      refresh.completeExceptionally(new CredentialsException(reason, message, cause));
    }
  }

  private String redactedUri() {
    return Redaction.redactUri(tokenUri);
  }

  @Override
  public String toString() {
    return String.format(
        "OAuth2ClientCredentials{tokenUri=%s, clientId=%s, clientSecret=%s, scope=%s,"
            + " authMethod=%s}",
        redactedUri(), clientId, clientSecret, scope, authMethod);
  }

  /**
   * Builds an {@link OAuth2ClientCredentials}. Token URI, client id and client secret are required.
   * Not thread-safe; {@link #build()} copies the settings.
   */
  public static final class Builder {
    private final Transport transport;
    private final Scheduler scheduler;
    private @Nullable URI tokenUri;
    private @Nullable String clientId;
    private @Nullable Secret clientSecret;
    private @Nullable String scope;
    private Duration skew = Duration.ofSeconds(60);
    private Backoff backoff = TokenProtocol.DEFAULT_BACKOFF;
    private @Nullable RandomGenerator random;
    private AuthMethod authMethod = AuthMethod.BASIC;
    private String channel = "oauth2";
    private @Nullable TokenStore store;

    private Builder(Transport transport, Scheduler scheduler) {
      this.transport = Objects.requireNonNull(transport, "transport");
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    public Builder withTokenUri(URI tokenUri) {
      this.tokenUri = Objects.requireNonNull(tokenUri, "tokenUri");
      return this;
    }

    public Builder withClientId(String clientId) {
      this.clientId = Objects.requireNonNull(clientId, "clientId");
      return this;
    }

    public Builder withClientSecret(Secret clientSecret) {
      this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
      return this;
    }

    /** The {@code scope} parameter, or null (the default) to send none. */
    public Builder withScope(@Nullable String scope) {
      this.scope = scope;
      return this;
    }

    /** Refresh this long before expiry; default 60 s. */
    public Builder withRefreshSkew(Duration skew) {
      Objects.requireNonNull(skew, "skew");
      if (skew.isNegative()) {
        throw new IllegalArgumentException("refresh skew must not be negative, was " + skew);
      }
      this.skew = skew;
      return this;
    }

    /** Retries of a failing token endpoint; default 0.5 s ×2, cap 10 s, 4 retries, full jitter. */
    public Builder withBackoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /** Randomness for jitter and request ids; default a new {@link SplittableRandom}. */
    public Builder withRandom(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Client authentication; default {@link AuthMethod#BASIC}. */
    public Builder withAuthMethod(AuthMethod authMethod) {
      this.authMethod = Objects.requireNonNull(authMethod, "authMethod");
      return this;
    }

    /** The channel named in token requests' {@link CallContext} (and logs); default oauth2. */
    public Builder withChannel(String channel) {
      this.channel = Objects.requireNonNull(channel, "channel");
      return this;
    }

    /**
     * Shares the token and its refresh with the other processes of a cluster through {@code store}
     * (see the class comment); default none: this client refreshes on its own.
     */
    public Builder withTokenStore(TokenStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * @throws IllegalStateException naming the first required setting that is missing
     */
    public OAuth2ClientCredentials build() {
      if (tokenUri == null) {
        throw new IllegalStateException("OAuth2 client credentials need withTokenUri(...)");
      }
      if (clientId == null || clientId.isBlank()) {
        throw new IllegalStateException("OAuth2 client credentials need withClientId(...)");
      }
      if (clientSecret == null) {
        throw new IllegalStateException("OAuth2 client credentials need withClientSecret(...)");
      }
      return new OAuth2ClientCredentials(this);
    }
  }
}
