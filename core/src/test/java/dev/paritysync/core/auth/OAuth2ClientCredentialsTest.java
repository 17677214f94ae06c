package dev.paritysync.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.testing.CapturedLogs;
import dev.paritysync.core.testing.LoopbackServer;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.core.time.VirtualTime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OAuth2ClientCredentialsTest {
  private static final String CLIENT_SECRET = "cl13nt-S3CRET-value";
  private static final String JSON = "application/json";

  private final VirtualTime time = new VirtualTime();
  private final RecordingScheduler scheduler = new RecordingScheduler(time);
  private final Transport transport = Transport.builder().build();
  private final AtomicInteger issued = new AtomicInteger();
  private final Queue<String> authorizations = new ConcurrentLinkedQueue<>();
  private final Queue<String> bodies = new ConcurrentLinkedQueue<>();
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

  /**
   * A token endpoint answering {@code statuses} in turn (the last one repeats); 200 issues tok-N.
   */
  private void endpoint(int... statuses) {
    AtomicInteger n = new AtomicInteger();
    server =
        LoopbackServer.start(
            ex -> {
              int i = n.getAndIncrement();
              int status = statuses[Math.min(i, statuses.length - 1)];
              record(ex);
              if (status == 200) {
                issue(ex, 3600);
              } else {
                LoopbackServer.respond(ex, status, JSON, "{\"error\":\"server_error\"}");
              }
            });
  }

  private void record(HttpExchange ex) throws IOException {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    authorizations.add(auth == null ? "" : auth);
    bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
  }

  private void issue(HttpExchange ex, long expiresIn) throws IOException {
    LoopbackServer.respond(
        ex,
        200,
        JSON,
        "{\"access_token\":\"tok-"
            + issued.incrementAndGet()
            + "\",\"token_type\":\"bearer\",\"expires_in\":"
            + expiresIn
            + "}");
  }

  private OAuth2ClientCredentials.Builder client() {
    return OAuth2ClientCredentials.builder(transport, scheduler)
        .withTokenUri(server.uri("/oauth/token"))
        .withClientId("paritysync")
        .withClientSecret(Secret.of(CLIENT_SECRET))
        .withRandom(new SplittableRandom(11));
  }

  private static AccessToken get(CompletableFuture<AccessToken> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  private static CredentialsException failure(CompletableFuture<AccessToken> f) throws Exception {
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(CredentialsException.class);
      return (CredentialsException) e.getCause();
    }
    throw new AssertionError("expected the token request to fail");
  }

  @Test
  void oneTokenIsFetchedAndShared() throws Exception {
    endpoint(200);
    OAuth2ClientCredentials oauth = client().withScope("ari:write").build();

    AccessToken first = get(oauth.token());
    AccessToken second = get(oauth.token());

    assertThat(first.value()).isEqualTo("tok-1");
    assertThat(second).isEqualTo(first);
    assertThat(first.authorizationHeader()).isEqualTo("Bearer tok-1");
    assertThat(first.expiresAt()).isEqualTo(time.instant().plusSeconds(3600));
    assertThat(server.requests()).isEqualTo(1);
    String basic =
        Base64.getEncoder()
            .encodeToString(("paritysync:" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
    assertThat(authorizations).containsExactly("Basic " + basic);
    assertThat(bodies).containsExactly("grant_type=client_credentials&scope=ari%3Awrite");
  }

  @Test
  void postAuthenticationSendsTheCredentialsInTheBody() throws Exception {
    endpoint(200);
    OAuth2ClientCredentials oauth =
        client().withAuthMethod(OAuth2ClientCredentials.AuthMethod.POST).build();

    get(oauth.token());

    assertThat(authorizations).containsExactly("");
    assertThat(bodies)
        .containsExactly(
            "grant_type=client_credentials&client_id=paritysync&client_secret=" + CLIENT_SECRET);
  }

  @Test
  void refreshesOncePastExpiryMinusSkew() throws Exception {
    endpoint(200);
    OAuth2ClientCredentials oauth = client().withRefreshSkew(Duration.ofSeconds(60)).build();
    assertThat(get(oauth.token()).value()).isEqualTo("tok-1");

    time.advance(Duration.ofSeconds(3600 - 61));
    assertThat(get(oauth.token()).value()).isEqualTo("tok-1");

    time.advance(Duration.ofSeconds(1));
    assertThat(get(oauth.token()).value()).isEqualTo("tok-2");
    assertThat(server.requests()).isEqualTo(2);
  }

  @Test
  void expiresInDefaultsToAnHour() throws Exception {
    server =
        LoopbackServer.start(
            ex -> LoopbackServer.respond(ex, 200, JSON, "{\"access_token\":\"plain\"}"));
    OAuth2ClientCredentials oauth = client().build();

    AccessToken token = get(oauth.token());

    assertThat(token.expiresAt()).isEqualTo(time.instant().plusSeconds(3600));
    assertThat(token.type()).isEqualTo("Bearer");
  }

  @Test
  void fiftyConcurrentCallersWithNoTokenCauseOneRequest() throws Exception {
    CountDownLatch allCalled = new CountDownLatch(1);
    server =
        LoopbackServer.start(
            ex -> {
              await(allCalled); // hold the response until every caller has asked
              issue(ex, 3600);
            });
    OAuth2ClientCredentials oauth = client().build();

    List<AccessToken> tokens = fiftyCallers(oauth, allCalled);

    assertThat(tokens).hasSize(50).allSatisfy(t -> assertThat(t.value()).isEqualTo("tok-1"));
    assertThat(server.requests()).isEqualTo(1);
  }

  @Test
  void fiftyConcurrentCallersWithAnExpiredTokenCauseOneRefresh() throws Exception {
    CountDownLatch allCalled = new CountDownLatch(1);
    AtomicInteger n = new AtomicInteger();
    server =
        LoopbackServer.start(
            ex -> {
              if (n.getAndIncrement() > 0) {
                await(allCalled);
              }
              issue(ex, 3600);
            });
    OAuth2ClientCredentials oauth = client().build();
    get(oauth.token());
    time.advance(Duration.ofHours(1));

    List<AccessToken> tokens = fiftyCallers(oauth, allCalled);

    assertThat(tokens).hasSize(50).allSatisfy(t -> assertThat(t.value()).isEqualTo("tok-2"));
    assertThat(server.requests()).isEqualTo(2);
  }

  private static List<AccessToken> fiftyCallers(
      OAuth2ClientCredentials oauth, CountDownLatch allCalled) throws Exception {
    int callers = 50;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      CountDownLatch start = new CountDownLatch(1);
      CountDownLatch called = new CountDownLatch(callers);
      List<CompletableFuture<CompletableFuture<AccessToken>>> futures = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        futures.add(
            CompletableFuture.supplyAsync(
                () -> {
                  await(start);
                  CompletableFuture<AccessToken> f = oauth.token();
                  called.countDown();
                  return f;
                },
                pool));
      }
      start.countDown();
      assertThat(called.await(10, TimeUnit.SECONDS)).isTrue();
      allCalled.countDown();
      List<AccessToken> tokens = new ArrayList<>();
      for (CompletableFuture<CompletableFuture<AccessToken>> f : futures) {
        tokens.add(get(f.get(10, TimeUnit.SECONDS)));
      }
      return tokens;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void invalidateDropsTheTokenAndTheNextCallRefreshes() throws Exception {
    endpoint(200);
    OAuth2ClientCredentials oauth = client().build();
    AccessToken first = get(oauth.token());

    oauth.invalidate(first);

    assertThat(get(oauth.token()).value()).isEqualTo("tok-2");
    assertThat(server.requests()).isEqualTo(2);
  }

  @Test
  void invalidatingAStaleTokenKeepsTheNewerOne() throws Exception {
    endpoint(200);
    OAuth2ClientCredentials oauth = client().build();
    AccessToken stale = get(oauth.token());
    oauth.invalidate(stale);
    AccessToken fresh = get(oauth.token());

    oauth.invalidate(stale); // a late 401 for a request that used the old token

    assertThat(get(oauth.token())).isEqualTo(fresh);
    assertThat(server.requests()).isEqualTo(2);
  }

  @Test
  void invalidClientFailsAtOnceWithoutRetry() throws Exception {
    server =
        LoopbackServer.start(
            ex -> LoopbackServer.respond(ex, 400, JSON, "{\"error\":\"invalid_client\"}"));
    OAuth2ClientCredentials oauth = client().build();

    CredentialsException e = failure(oauth.token());

    assertThat(e.reason()).isEqualTo("credentials");
    assertThat(e).hasMessageContaining("invalid_client").hasMessageContaining("paritysync");
    assertThat(server.requests()).isEqualTo(1);
    assertThat(scheduler.delays).isEmpty();
  }

  @Test
  void a503ThenA200IsRetriedThroughTheScheduler() throws Exception {
    endpoint(503, 200);
    OAuth2ClientCredentials oauth = client().build();

    CompletableFuture<AccessToken> f = oauth.token();
    Duration delay = scheduler.nextDelay();
    assertThat(delay).isBetween(Duration.ZERO, Duration.ofMillis(500));
    assertThat(f).isNotDone();
    time.advance(delay);

    assertThat(get(f).value()).isEqualTo("tok-1");
    assertThat(server.requests()).isEqualTo(2);
  }

  @Test
  void anAlways500EndpointFailsAfterEveryRetry() throws Exception {
    endpoint(500);
    OAuth2ClientCredentials oauth = client().build();

    CompletableFuture<AccessToken> f = oauth.token();
    for (int retry = 1; retry <= 4; retry++) {
      Duration delay = scheduler.nextDelay();
      assertThat(delay).isLessThanOrEqualTo(Duration.ofMillis(500L << (retry - 1)));
      time.advance(delay);
    }

    CredentialsException e = failure(f);
    assertThat(e.reason()).isEqualTo("token_endpoint");
    assertThat(e).hasMessageContaining("5 attempts").hasMessageContaining("status 500");
    assertThat(server.requests()).isEqualTo(5);
  }

  @Test
  void theSecretNeverAppearsInToStringOrLogs() throws Exception {
    endpoint(503, 200);
    Secret secret = Secret.of(CLIENT_SECRET);
    OAuth2ClientCredentials oauth = client().withClientSecret(secret).build();

    try (CapturedLogs logs = CapturedLogs.of("dev.paritysync")) {
      CompletableFuture<AccessToken> f = oauth.token();
      time.advance(scheduler.nextDelay());
      AccessToken token = get(f);

      assertThat(logs.events()).isNotEmpty();
      assertThat(logs.text()).doesNotContain(CLIENT_SECRET).doesNotContain(token.value());
      assertThat(token.toString()).doesNotContain(token.value()).contains("[redacted]");
    }
    assertThat(secret.toString()).isEqualTo("[redacted]");
    assertThat(oauth.toString()).doesNotContain(CLIENT_SECRET).contains("paritysync");
    assertThat(secret.reveal()).isEqualTo(CLIENT_SECRET);
  }

  @Test
  void buildNamesTheMissingSetting() {
    assertThatThrownBy(() -> OAuth2ClientCredentials.builder(transport, scheduler).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("withTokenUri");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A scheduler over virtual time that reports each delay it is asked to wait. */
  private static final class RecordingScheduler implements Scheduler {
    private final VirtualTime time;
    final BlockingQueue<Duration> delays = new LinkedBlockingQueue<>();

    RecordingScheduler(VirtualTime time) {
      this.time = time;
    }

    @Override
    public Clock clock() {
      return time;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
      Cancellable c = time.schedule(delay, task);
      delays.add(delay);
      return c;
    }

    /** Waits (for real loopback I/O to finish) until the next retry is scheduled. */
    Duration nextDelay() throws InterruptedException {
      Duration d = delays.poll(10, TimeUnit.SECONDS);
      assertThat(d).as("a retry was scheduled").isNotNull();
      return d;
    }
  }
}
