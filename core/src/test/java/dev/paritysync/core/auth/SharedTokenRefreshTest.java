package dev.paritysync.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.http.Transport;
import dev.paritysync.core.testing.CapturedLogs;
import dev.paritysync.core.testing.LoopbackServer;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two clients (two processes of a cluster) sharing one {@link TokenStore}, against a real token
 * endpoint on loopback, on virtual time.
 */
class SharedTokenRefreshTest {
  private static final String JSON = "application/json";

  private final VirtualTime time = new VirtualTime();
  private final Transport transport = Transport.builder().build();
  private final InMemoryTokens tokens = new InMemoryTokens(time);
  private final AtomicInteger issued = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);
  private LoopbackServer server;

  @AfterEach
  void cleanup() {
    release.countDown();
    transport.close();
    if (server != null) {
      server.close();
    }
  }

  /** Issues tok-N for an hour; from request number {@code holdFrom} on, waits for the release. */
  private void endpoint(int holdFrom) {
    endpoint(holdFrom, 3600);
  }

  /**
   * Issues tok-N for {@code expiresIn} seconds; from {@code holdFrom} on, waits for the release.
   */
  private void endpoint(int holdFrom, int expiresIn) {
    AtomicInteger n = new AtomicInteger();
    server =
        LoopbackServer.start(
            ex -> {
              if (n.incrementAndGet() >= holdFrom) {
                await(release);
              }
              LoopbackServer.respond(
                  ex,
                  200,
                  JSON,
                  "{\"access_token\":\"tok-"
                      + issued.incrementAndGet()
                      + "\",\"token_type\":\"bearer\",\"expires_in\":"
                      + expiresIn
                      + "}");
            });
  }

  private OAuth2ClientCredentials client(TokenStore store) {
    return OAuth2ClientCredentials.builder(transport, time)
        .withTokenUri(server.uri("/oauth/token"))
        .withClientId("paritysync")
        .withClientSecret(Secret.of("s3cret"))
        .withRandom(new SplittableRandom(7))
        .withTokenStore(store)
        .build();
  }

  private static String value(CompletableFuture<AccessToken> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS).value();
  }

  @Test
  void twoClientsRefreshOncePerExpiry() throws Exception {
    endpoint(Integer.MAX_VALUE);
    OAuth2ClientCredentials a = client(tokens.view("a"));
    OAuth2ClientCredentials b = client(tokens.view("b"));

    assertThat(value(a.token())).isEqualTo("tok-1");
    assertThat(value(b.token())).isEqualTo("tok-1");
    assertThat(server.requests()).isEqualTo(1);

    for (int expiry = 2; expiry <= 4; expiry++) {
      time.advance(Duration.ofSeconds(3540)); // the 60 s skew before expiry
      assertThat(value(b.token())).isEqualTo("tok-" + expiry);
      assertThat(value(a.token())).isEqualTo("tok-" + expiry);
      assertThat(value(b.token())).isEqualTo("tok-" + expiry);
    }
    assertThat(server.requests()).isEqualTo(4);
    assertThat(tokens.publishes).hasValue(4);
  }

  @Test
  void tokensShorterThanTheSkewAreSharedTooOneRefreshPerLifetime() throws Exception {
    // 20 s tokens, 60 s skew: each client caps the skew at half the lifetime; a token adopted from
    // the store is capped at half of what is left of it, so neither client refreshes on every call.
    endpoint(Integer.MAX_VALUE, 20);
    OAuth2ClientCredentials a = client(tokens.view("a"));
    OAuth2ClientCredentials b = client(tokens.view("b"));
    for (int second = 0; second < 100; second++) {
      assertThat(value(a.token())).startsWith("tok-");
      assertThat(value(b.token())).startsWith("tok-");
      time.advance(Duration.ofSeconds(1));
    }
    // 100 s of 20 s tokens refreshed at about half their life: about ten, never one per call
    assertThat(server.requests()).isBetween(5, 11);
    assertThat(tokens.publishes).hasValue(server.requests());
  }

  @Test
  void whileOneRefreshesTheOtherKeepsTheUnexpiredStoredToken() throws Exception {
    endpoint(2);
    OAuth2ClientCredentials a = client(tokens.view("a"));
    OAuth2ClientCredentials b = client(tokens.view("b"));
    assertThat(value(a.token())).isEqualTo("tok-1");
    time.advance(Duration.ofSeconds(3550));

    CompletableFuture<AccessToken> refreshing = a.token(); // held by the endpoint
    assertThat(value(b.token())).isEqualTo("tok-1");
    assertThat(refreshing).isNotDone();

    release.countDown();
    assertThat(value(refreshing)).isEqualTo("tok-2");
    // b adopted tok-1 until half of what was left of it (25 s); then it takes tok-2 from the store
    time.advance(Duration.ofSeconds(26));
    assertThat(value(b.token())).isEqualTo("tok-2");
    assertThat(server.requests()).isEqualTo(2);
  }

  @Test
  void a401SeenByBothCausesOneRefresh() throws Exception {
    endpoint(2);
    OAuth2ClientCredentials a = client(tokens.view("a"));
    OAuth2ClientCredentials b = client(tokens.view("b"));
    AccessToken rejected = a.token().get(10, TimeUnit.SECONDS);
    assertThat(value(b.token())).isEqualTo("tok-1");

    a.invalidate(rejected);
    b.invalidate(rejected);
    assertThat(tokens.view("x").read()).isEmpty();

    CompletableFuture<AccessToken> fromA = a.token(); // the refresher, held by the endpoint
    CompletableFuture<AccessToken> fromB = b.token(); // no token to use: waits for a's
    for (int i = 0; i < 8; i++) {
      time.advance(Duration.ofMillis(250));
      assertThat(fromB).isNotDone();
    }
    release.countDown();
    assertThat(value(fromA)).isEqualTo("tok-2");
    time.advance(Duration.ofMillis(250));

    assertThat(fromB).isCompletedWithValueMatching(t -> t.value().equals("tok-2"));
    assertThat(server.requests()).isEqualTo(2);
    b.invalidate(rejected); // a late 401 for the old token keeps the new one
    assertThat(tokens.view("x").read()).map(AccessToken::value).contains("tok-2");
  }

  @Test
  void aRefresherThatDiesIsReplacedWhenItsLeaseEnds() throws Exception {
    endpoint(Integer.MAX_VALUE);
    assertThat(tokens.view("dead").tryBeginRefresh(Duration.ofSeconds(60))).isTrue();
    OAuth2ClientCredentials b = client(tokens.view("b"));

    CompletableFuture<AccessToken> waiting = b.token();
    time.advance(Duration.ofMillis(59_750));
    assertThat(waiting).isNotDone();
    assertThat(server.requests()).isZero();

    time.advance(Duration.ofMillis(250)); // the dead refresher's lease ends
    assertThat(value(waiting)).isEqualTo("tok-1");
    assertThat(server.requests()).isEqualTo(1);
    assertThat(value(client(tokens.view("c")).token())).isEqualTo("tok-1");
    assertThat(server.requests()).isEqualTo(1);
  }

  @Test
  void aFailedRefreshIsAbandonedSoTheOtherTriesAtOnce() throws Exception {
    AtomicInteger n = new AtomicInteger();
    server =
        LoopbackServer.start(
            ex -> {
              if (n.incrementAndGet() == 1) {
                LoopbackServer.respond(ex, 400, JSON, "{\"error\":\"invalid_client\"}");
              } else {
                LoopbackServer.respond(ex, 200, JSON, "{\"access_token\":\"tok-ok\"}");
              }
            });
    CompletableFuture<AccessToken> failed = client(tokens.view("a")).token();
    assertThat(failed).failsWithin(Duration.ofSeconds(10));

    assertThat(value(client(tokens.view("b")).token())).isEqualTo("tok-ok");
    assertThat(server.requests()).isEqualTo(2);
  }

  @Test
  void aFailingStoreIsBypassed() throws Exception {
    endpoint(Integer.MAX_VALUE);
    TokenStore broken =
        new TokenStore() {
          @Override
          public Optional<AccessToken> read() {
            throw new IllegalStateException("database jdbc:x is down");
          }

          @Override
          public boolean tryBeginRefresh(Duration lease) {
            throw new IllegalStateException("database jdbc:x is down");
          }

          @Override
          public void publish(AccessToken token) {
            throw new IllegalStateException("database jdbc:x is down");
          }

          @Override
          public void abandon() {}

          @Override
          public void invalidate(AccessToken rejected) {
            throw new IllegalStateException("database jdbc:x is down");
          }
        };
    OAuth2ClientCredentials a = client(broken);

    try (CapturedLogs logs = CapturedLogs.of("dev.paritysync")) {
      AccessToken token = a.token().get(10, TimeUnit.SECONDS);
      a.invalidate(token);

      assertThat(token.value()).isEqualTo("tok-1");
      assertThat(logs.text()).contains("database jdbc:x is down").doesNotContain("tok-1");
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One stored token shared by every view; each view is one process, leases on {@code clock}. */
  /**
   * A process read the stored token just before another published a fresh one and gave up its
   * lease: the lease it then takes comes free with a fresh token already stored, which it adopts
   * instead of asking the endpoint again (ClusterTest once saw two tokens 0.29 s apart).
   */
  @Test
  void aReadOvertakenByAnotherProcesssPublishAdoptsItsToken() throws Exception {
    endpoint(Integer.MAX_VALUE);
    OAuth2ClientCredentials a = client(tokens.view("a"));
    assertThat(value(a.token())).isEqualTo("tok-1");
    TokenStore bView = tokens.view("b");
    boolean[] overtaken = {false};
    TokenStore staleOnce =
        new TokenStore() {
          @Override
          public Optional<AccessToken> read() {
            Optional<AccessToken> seen = bView.read();
            if (!overtaken[0]) {
              overtaken[0] = true;
              try {
                assertThat(value(a.token())).isEqualTo("tok-2"); // a refreshes meanwhile
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            }
            return seen;
          }

          @Override
          public boolean tryBeginRefresh(Duration lease) {
            return bView.tryBeginRefresh(lease);
          }

          @Override
          public void publish(AccessToken token) {
            bView.publish(token);
          }

          @Override
          public void abandon() {
            bView.abandon();
          }

          @Override
          public void invalidate(AccessToken rejected) {
            bView.invalidate(rejected);
          }
        };
    OAuth2ClientCredentials b = client(staleOnce);
    time.advance(Duration.ofSeconds(3600)); // tok-1 has expired: b may not adopt it
    assertThat(value(b.token())).isEqualTo("tok-2");
    assertThat(server.requests()).as("one refresh for the two processes").isEqualTo(2);
    assertThat(tokens.view("c").tryBeginRefresh(Duration.ofSeconds(1)))
        .as("b gave the lease back")
        .isTrue();
  }

  static final class InMemoryTokens {
    private final Clock clock;
    private AccessToken token; // guarded by this
    private String refresher; // guarded by this
    private Instant refreshUntil; // guarded by this
    final AtomicInteger publishes = new AtomicInteger();

    InMemoryTokens(Clock clock) {
      this.clock = clock;
    }

    TokenStore view(String owner) {
      return new TokenStore() {
        @Override
        public Optional<AccessToken> read() {
          synchronized (InMemoryTokens.this) {
            return Optional.ofNullable(token);
          }
        }

        @Override
        public boolean tryBeginRefresh(Duration lease) {
          synchronized (InMemoryTokens.this) {
            Instant now = clock.instant();
            if (refresher != null && !refresher.equals(owner) && now.isBefore(refreshUntil)) {
              return false;
            }
            refresher = owner;
            refreshUntil = now.plus(lease);
            return true;
          }
        }

        @Override
        public void publish(AccessToken fresh) {
          synchronized (InMemoryTokens.this) {
            token = fresh;
            publishes.incrementAndGet();
            abandon();
          }
        }

        @Override
        public void abandon() {
          synchronized (InMemoryTokens.this) {
            if (owner.equals(refresher)) {
              refresher = null;
              refreshUntil = null;
            }
          }
        }

        @Override
        public void invalidate(AccessToken rejected) {
          synchronized (InMemoryTokens.this) {
            if (rejected.equals(token)) {
              token = null;
            }
          }
        }
      };
    }
  }
}
