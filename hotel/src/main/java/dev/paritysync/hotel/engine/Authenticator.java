package dev.paritysync.hotel.engine;

import dev.paritysync.core.auth.AccessToken;
import dev.paritysync.core.auth.OAuth2ClientCredentials;
import dev.paritysync.core.auth.TokenStore;
import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.hotel.channel.Credentials;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Adds a channel's credentials to a request on the delivery path: a static API key header, or an
 * OAuth2 bearer token from {@link OAuth2ClientCredentials} (cached, one refresh in flight however
 * many batches wait). A token request that fails completes the future exceptionally with a {@link
 * dev.paritysync.core.auth.CredentialsException}; the worker turns it into a deferral or a dead
 * letter. Thread-safe.
 */
public interface Authenticator {

  /** {@code request} with credentials added, and the token used (null when none). */
  CompletableFuture<Authorized> authorize(Request request);

  /** The channel answered 401 to a request sent with {@code authorized}: drop its token. */
  void rejected(Authorized authorized);

  /**
   * A request with its credentials.
   *
   * @param request the request to send
   * @param token the OAuth2 token in it, or null
   */
  record Authorized(Request request, @Nullable AccessToken token) {
    public Authorized {
      Objects.requireNonNull(request, "request");
    }
  }

  /** Sends requests as they are. */
  static Authenticator none() {
    return new Authenticator() {
      @Override
      public CompletableFuture<Authorized> authorize(Request request) {
        return CompletableFuture.completedFuture(new Authorized(request, null));
      }

      @Override
      public void rejected(Authorized authorized) {}

      @Override
      public String toString() {
        return "Authenticator.none";
      }
    };
  }

  /**
   * The authenticator for {@code credentials}; OAuth2 tokens are fetched through {@code transport},
   * retries waiting on {@code scheduler}, and tagged with {@code channel} in logs.
   */
  static Authenticator of(
      Credentials credentials, String channel, Transport transport, Scheduler scheduler) {
    return of(credentials, channel, transport, scheduler, null);
  }

  /**
   * As {@link #of(Credentials, String, Transport, Scheduler)}; an OAuth2 channel's tokens are also
   * kept in the store {@code sharedTokens} makes for its credentials (null: this process's cache
   * only), so the workers of a cluster share one token and one refresh.
   */
  static Authenticator of(
      Credentials credentials,
      String channel,
      Transport transport,
      Scheduler scheduler,
      @Nullable Function<Credentials.OAuth2, TokenStore> sharedTokens) {
    Objects.requireNonNull(credentials, "credentials");
    if (credentials instanceof Credentials.ApiKey key) {
      return new Authenticator() {
        @Override
        public CompletableFuture<Authorized> authorize(Request request) {
          return CompletableFuture.completedFuture(
              new Authorized(request.withHeader(key.header(), key.value().reveal()), null));
        }

        @Override
        public void rejected(Authorized authorized) {}

        @Override
        public String toString() {
          return "Authenticator.apiKey(" + key.header() + ")";
        }
      };
    }
    Credentials.OAuth2 o = (Credentials.OAuth2) credentials;
    OAuth2ClientCredentials.Builder b = oauth2Builder(o, channel, transport, scheduler);
    if (sharedTokens != null) {
      b.withTokenStore(sharedTokens.apply(o));
    }
    return oauth2(b.build());
  }

  /**
   * The OAuth2 client of {@code o}, as pushes use it: tokens fetched through {@code transport},
   * retries waiting on {@code scheduler}, tagged with {@code channel} in logs.
   */
  static OAuth2ClientCredentials oauth2Client(
      Credentials.OAuth2 o, String channel, Transport transport, Scheduler scheduler) {
    return oauth2Builder(o, channel, transport, scheduler).build();
  }

  /**
   * As {@link #oauth2Client(Credentials.OAuth2, String, Transport, Scheduler)}, keeping the token
   * also in {@code store} when it is not null (a cluster's shared token).
   */
  static OAuth2ClientCredentials oauth2Client(
      Credentials.OAuth2 o,
      String channel,
      Transport transport,
      Scheduler scheduler,
      @Nullable TokenStore store) {
    OAuth2ClientCredentials.Builder b = oauth2Builder(o, channel, transport, scheduler);
    if (store != null) {
      b.withTokenStore(store);
    }
    return b.build();
  }

  private static OAuth2ClientCredentials.Builder oauth2Builder(
      Credentials.OAuth2 o, String channel, Transport transport, Scheduler scheduler) {
    OAuth2ClientCredentials.Builder b =
        OAuth2ClientCredentials.builder(transport, scheduler)
            .withTokenUri(o.tokenUrl())
            .withClientId(o.clientId())
            .withClientSecret(o.clientSecret())
            .withChannel(channel);
    if (o.scope() != null) {
      b.withScope(o.scope());
    }
    return b;
  }

  /** Bearer tokens from {@code client}. */
  static Authenticator oauth2(OAuth2ClientCredentials client) {
    Objects.requireNonNull(client, "client");
    return new Authenticator() {
      @Override
      public CompletableFuture<Authorized> authorize(Request request) {
        return client
            .token()
            .thenApply(
                t ->
                    new Authorized(
                        request.withHeader("Authorization", t.authorizationHeader()), t));
      }

      @Override
      public void rejected(Authorized authorized) {
        if (authorized.token() != null) {
          client.invalidate(authorized.token());
        }
      }

      @Override
      public String toString() {
        return "Authenticator.oauth2(" + client + ")";
      }
    };
  }
}
