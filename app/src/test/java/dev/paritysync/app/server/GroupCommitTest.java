package dev.paritysync.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paritysync.app.testing.TestDatabase;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Group commit of {@code POST /v1/changes} over real HTTP on loopback, on a real SQLite file and
 * (with {@code PARITYSYNC_PG_URL}) PostgreSQL. The committer runs on virtual time: requests wait in
 * its queue until the test runs the due commit, so which requests share a group is the test's
 * choice, not a race's.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
class GroupCommitTest {
  private static final long POLL = TimeUnit.MILLISECONDS.toNanos(5);
  private static final String ONE =
      "{\"changes\":[{\"property\":\"P1\",\"roomType\":\"DBL\",\"ratePlan\":\"BAR\","
          + "\"from\":\"2026-03-02\",\"to\":\"2026-03-04\","
          + "\"rate\":{\"amount\":\"120.00\",\"currency\":\"EUR\"},\"availability\":3}]}";
  private static final String OTHER = ONE.replace("120.00", "130.00");
  private static final String LATER =
      ONE.replace("2026-03-02", "2026-03-05").replace("03-04", "03-06");

  @Parameter TestDatabase.Kind kind;
  @TempDir Path dir;
  TestDatabase store;
  ApiFixture f;
  ChangesRoutes routes;
  final List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();

  @BeforeEach
  void start() {
    // SQLite gives up on a locked file after 300 ms, in one attempt, so a test can lock it.
    store =
        TestDatabase.open(
            kind,
            dir,
            b ->
                kind == TestDatabase.Kind.SQLITE
                    ? b.withBusyTimeout(Duration.ofMillis(300)).withMaxTransactionAttempts(1)
                    : b);
    f = new ApiFixture(store.db, kind == TestDatabase.Kind.SQLITE ? dir.resolve("test.db") : null);
    routes =
        new ChangesRoutes(
            f.db,
            f.engine.ingest(),
            f.time,
            4096,
            Duration.ofHours(24),
            io.opentelemetry.context.propagation.TextMapPropagator.noop(),
            null,
            ApiLimits.DEFAULTS,
            new GroupCommit(128, 5_000, Duration.ofMillis(2), 4),
            f.time);
    f.start(ApiServer.builder().withMaxBodyBytes(4096).withRoutes(routes));
  }

  @AfterEach
  void stop() {
    if (routes != null) { // null when the PostgreSQL run is skipped (no PARITYSYNC_PG_URL)
      routes.close();
    }
    if (f != null) {
      f.close();
    }
    if (store != null) {
      store.close();
    }
  }

  /** Sends a request and returns once it waits in the committer's queue. */
  private CompletableFuture<HttpResponse<String>> queue(String body, String key) {
    int before = routes.queued();
    CompletableFuture<HttpResponse<String>> r =
        CompletableFuture.supplyAsync(() -> post(body, key));
    sent.add(r);
    waitFor(() -> routes.queued() == before + 1, "the request to wait for a commit");
    return r;
  }

  private HttpResponse<String> post(String body, String key) {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(f.uri("/v1/changes"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      r.header("Idempotency-Key", key);
    }
    return f.send(r);
  }

  private static void waitFor(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      LockSupport.parkNanos(POLL);
    }
  }

  private static HttpResponse<String> answer(CompletableFuture<HttpResponse<String>> r)
      throws Exception {
    return r.get(30, TimeUnit.SECONDS);
  }

  private long count(String sql) {
    return f.db.read(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  private String one(String sql) {
    return f.db.read(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
          }
        });
  }

  @Test
  void requestsWaitingTogetherCommitInOneGroupInTheirOrderNewestWinning() throws Exception {
    CompletableFuture<HttpResponse<String>> first = queue(ONE, null);
    CompletableFuture<HttpResponse<String>> second = queue(OTHER, null);
    assertThat(first).isNotDone(); // no 202 before the commit that holds it
    assertThat(count("SELECT COUNT(*) FROM ari_changes")).isZero();

    f.time.runDue();

    JsonNode a = ApiFixture.json(answer(first));
    JsonNode b = ApiFixture.json(answer(second));
    assertThat(answer(first).statusCode()).isEqualTo(202);
    assertThat(answer(second).statusCode()).isEqualTo(202);
    assertThat(b.get("version").asLong()).isEqualTo(a.get("version").asLong() + 1);
    assertThat(one("SELECT DISTINCT rate FROM ari_truth WHERE rate IS NOT NULL"))
        .isEqualTo("130.00");
    assertThat(count("SELECT COUNT(DISTINCT pending_version) FROM ari_outbox")).isOne();
    assertThat(one("SELECT MAX(pending_version) FROM ari_outbox"))
        .isEqualTo(b.get("version").asText());
  }

  @Test
  void theSameKeyTwiceInOneGroupIsAnsweredAsIfSentInTurn() throws Exception {
    CompletableFuture<HttpResponse<String>> first = queue(ONE, "k-1");
    CompletableFuture<HttpResponse<String>> again = queue(ONE, "k-1");
    CompletableFuture<HttpResponse<String>> reused = queue(OTHER, "k-1");
    CompletableFuture<HttpResponse<String>> unkeyed = queue(LATER, null);

    f.time.runDue();

    assertThat(answer(first).statusCode()).isEqualTo(202);
    assertThat(answer(first).headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(answer(again).statusCode()).isEqualTo(202);
    assertThat(answer(again).body()).isEqualTo(answer(first).body());
    assertThat(answer(again).headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(answer(reused).statusCode()).isEqualTo(422);
    assertThat(ApiFixture.json(answer(reused)).get("detail").asText())
        .contains("k-1")
        .contains("different request body");
    assertThat(answer(unkeyed).statusCode()).isEqualTo(202);
    assertThat(count("SELECT COUNT(*) FROM ari_changes")).isEqualTo(2);
    assertThat(count("SELECT COUNT(*) FROM idempotency_keys")).isOne();
    // and after the group, sequentially, the same answer again
    assertThat(post(ONE, "k-1").body()).isEqualTo(answer(first).body());
  }

  @Test
  void aKeyAnotherProcessRecordedWhileItWaitedIsAnsweredFromThatRecordAndTheRestCommits()
      throws Exception {
    CompletableFuture<HttpResponse<String>> ours = queue(ONE, "x-1");
    CompletableFuture<HttpResponse<String>> raced = queue(LATER, "x-2");
    String theirs = "{\"version\":7,\"cells\":0,\"changes\":[]}";
    try (Connection other = connect();
        PreparedStatement ps =
            other.prepareStatement(
                "INSERT INTO idempotency_keys (idem_key, fingerprint, status, body, created_at)"
                    + " VALUES ('x-2', ?, 202, ?, ?)")) {
      ps.setString(1, dev.paritysync.core.http.BodyDigest.sha256(LATER.getBytes("UTF-8")));
      ps.setString(2, theirs);
      ps.setLong(3, f.time.millis());
      ps.executeUpdate();
    }

    f.time.runDue();

    assertThat(answer(raced).statusCode()).isEqualTo(202);
    assertThat(answer(raced).body()).isEqualTo(theirs);
    assertThat(answer(raced).headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(answer(ours).statusCode()).isEqualTo(202);
    assertThat(answer(ours).headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(count("SELECT COUNT(*) FROM ari_changes")).isOne();
    assertThat(count("SELECT COUNT(*) FROM ari_truth WHERE date >= '2026-03-05'")).isZero();
  }

  @Test
  void aRejectedRequestIsAnsweredOnItsOwnAndTheGroupGoesOn() throws Exception {
    CompletableFuture<HttpResponse<String>> good = queue(ONE, "k-2");

    HttpResponse<String> bad = post(ONE.replace("\"P1\"", "\"P9\""), "k-3");

    assertThat(bad.statusCode()).isEqualTo(422);
    assertThat(routes.queued()).isOne(); // answered while the other still waits
    f.time.runDue();
    assertThat(answer(good).statusCode()).isEqualTo(202);
    assertThat(count("SELECT COUNT(*) FROM idempotency_keys")).isOne();
  }

  @Test
  void aFullQueueIsAnswered503WithRetryAfterAtOnce() throws Exception {
    for (int i = 0; i < 4; i++) {
      queue(ONE, "q-" + i);
    }

    HttpResponse<String> refused = post(ONE, "q-4");

    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(ApiFixture.json(refused).get("detail").asText())
        .contains("server.groupCommit.queue");
    f.time.runDue();
    for (CompletableFuture<HttpResponse<String>> r : sent) {
      assertThat(answer(r).statusCode()).isEqualTo(202);
    }
  }

  @Test
  void aFailedCommitFailsExactlyItsGroupWith503AndStoresNothingOfIt() throws Exception {
    CompletableFuture<HttpResponse<String>> a = queue(ONE, "f-1");
    CompletableFuture<HttpResponse<String>> b = queue(LATER, "f-2");

    try (Connection blocker = connect();
        Statement s = blocker.createStatement()) {
      fault(blocker, s);
    }

    for (CompletableFuture<HttpResponse<String>> r : List.of(a, b)) {
      HttpResponse<String> failed = answer(r);
      assertThat(failed.statusCode()).isEqualTo(503);
      assertThat(failed.headers().firstValue("Retry-After")).hasValue("5");
      assertThat(ApiFixture.json(failed).get("title").asText()).isEqualTo("Storage unavailable");
    }
    assertThat(count("SELECT COUNT(*) FROM ari_changes")).isZero();
    assertThat(count("SELECT COUNT(*) FROM ari_truth")).isZero();
    assertThat(count("SELECT COUNT(*) FROM idempotency_keys")).isZero();
    assertThat(count("SELECT version FROM ari_version")).isZero();

    // the next group commits, and the failed requests, sent again with their keys, are new
    CompletableFuture<HttpResponse<String>> again = queue(ONE, "f-1");
    f.time.runDue();
    assertThat(answer(again).statusCode()).isEqualTo(202);
    assertThat(answer(again).headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(count("SELECT COUNT(*) FROM ari_changes")).isOne();
  }

  private Connection connect() throws Exception {
    return DriverManager.getConnection(store.url);
  }

  /**
   * A real storage fault while the queued group commits. SQLite: another connection holds the write
   * lock past the busy timeout. PostgreSQL: another connection locks the version table, and the
   * committing connection, waiting for it, is terminated by the server.
   */
  private void fault(Connection blocker, Statement s) throws Exception {
    if (kind == TestDatabase.Kind.SQLITE) {
      s.execute("BEGIN IMMEDIATE");
      f.time.runDue(); // the commit waits 300 ms for the lock, then fails
      s.execute("ROLLBACK");
      return;
    }
    blocker.setAutoCommit(false);
    s.execute("LOCK TABLE ari_version IN ACCESS EXCLUSIVE MODE");
    CompletableFuture<Void> commit = CompletableFuture.runAsync(f.time::runDue);
    waitFor(() -> waitingPid(blocker) != 0, "the group's commit to wait for the lock");
    try (PreparedStatement kill = blocker.prepareStatement("SELECT pg_terminate_backend(?)")) {
      kill.setInt(1, waitingPid(blocker));
      kill.execute();
    }
    commit.get(30, TimeUnit.SECONDS);
    blocker.rollback();
  }

  /** The server process waiting for the lock on {@code ari_version}, 0 when none. */
  private static int waitingPid(Connection c) {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT pid FROM pg_locks WHERE relation = 'ari_version'::regclass"
                    + " AND NOT granted")) {
      return rs.next() ? rs.getInt(1) : 0;
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
