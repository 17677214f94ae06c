package dev.paritysync.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.auth.AccessToken;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.store.Database;
import dev.paritysync.store.Dialect;
import dev.paritysync.store.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SharedTokensTest {
  private static final Secret SECRET = Secret.of("client-s3cret");
  private static final Duration LEASE = Duration.ofSeconds(60);

  private final VirtualTime time = new VirtualTime(Instant.parse("2026-03-29T00:59:59.990Z"));
  @TempDir Path dir;

  private AccessToken token(String value) {
    return new AccessToken(value, "Bearer", time.instant().plusSeconds(3600).plusMillis(123));
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aTokenPublishedByOneWorkerIsReadByAnother(Dialect dialect) {
    try (TestDatabases dbs = TestDatabases.fresh(dialect, dir)) {
      SharedTokens a = new SharedTokens(dbs.open(), time, "channex", "worker-a", SECRET);
      SharedTokens b =
          new SharedTokens(dbs.open(), time, "channex", "worker-b", Secret.of("client-s3cret"));
      assertThat(b.read()).isEmpty();

      AccessToken token = token("eyJ.secret-token-value.sig");
      a.publish(token);

      assertThat(b.read()).contains(token);
      assertThat(a.read()).contains(token);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aDifferentSecretOrChannelCannotReadIt(Dialect dialect) {
    try (TestDatabases dbs = TestDatabases.fresh(dialect, dir)) {
      Database db = dbs.open();
      new SharedTokens(db, time, "channex", "worker-a", SECRET).publish(token("tok-1"));

      assertThat(new SharedTokens(db, time, "channex", "w", Secret.of("rotated")).read()).isEmpty();
      assertThat(new SharedTokens(db, time, "expedia", "w", SECRET).read()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void theTableHoldsNeitherTheTokenNorTheSecret(Dialect dialect) {
    try (TestDatabases dbs = TestDatabases.fresh(dialect, dir)) {
      Database db = dbs.open();
      SharedTokens tokens = new SharedTokens(db, time, "channex", "worker-a", SECRET);
      tokens.publish(token("secret-token-value"));
      tokens.publish(token("secret-token-value")); // a fresh nonce each time

      List<String> rows = rows(db);
      assertThat(rows).hasSize(1);
      String sealed = rows.get(0);
      assertThat(sealed)
          .doesNotContain("secret-token-value")
          .doesNotContain("client-s3cret")
          .doesNotContain("Bearer");
      assertThat(Base64.getDecoder().decode(sealed))
          .asString(StandardCharsets.ISO_8859_1)
          .doesNotContain("secret-token-value");
      assertThat(tokens.toString()).doesNotContain("secret-token-value");
    }
  }

  private static List<String> rows(Database db) {
    return db.read(
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement("SELECT sealed FROM cluster_tokens");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(rs.getString(1));
            }
          }
          return out;
        });
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void oneRefresherAtATimeAcrossTwoProcesses(Dialect dialect) {
    try (TestDatabases dbs = TestDatabases.fresh(dialect, dir)) {
      SharedTokens a = new SharedTokens(dbs.open(), time, "channex", "worker-a", SECRET);
      SharedTokens b = new SharedTokens(dbs.open(), time, "channex", "worker-b", SECRET);

      assertThat(a.tryBeginRefresh(LEASE)).isTrue();
      assertThat(b.tryBeginRefresh(LEASE)).isFalse();
      assertThat(a.tryBeginRefresh(LEASE)).as("the refresher asks again").isTrue();
      b.abandon(); // not b's refresh: nothing changes
      assertThat(b.tryBeginRefresh(LEASE)).isFalse();

      a.publish(token("tok-1")); // ends a's refresh
      assertThat(b.tryBeginRefresh(LEASE)).isTrue();
      assertThat(a.tryBeginRefresh(LEASE)).isFalse();
      b.abandon();
      assertThat(a.tryBeginRefresh(LEASE)).isTrue();

      time.advance(LEASE.minusMillis(1));
      assertThat(b.tryBeginRefresh(LEASE)).isFalse();
      time.advance(Duration.ofMillis(1)); // a died while refreshing: its lease ends
      assertThat(b.tryBeginRefresh(LEASE)).isTrue();
      a.publish(token("tok-late")); // a late publish stores its token but ends no other refresh
      assertThat(a.tryBeginRefresh(LEASE)).isFalse();
      assertThat(b.read()).map(AccessToken::value).contains("tok-late");
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void racingForTheRefreshExactlyOneWins(Dialect dialect) throws Exception {
    try (TestDatabases dbs = TestDatabases.fresh(dialect, dir)) {
      List<SharedTokens> workers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        workers.add(new SharedTokens(dbs.open(), time, "channex", "worker-" + i, SECRET));
      }
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<Future<Boolean>> wins = new ArrayList<>();
        for (SharedTokens w : workers) {
          wins.add(
              pool.submit(
                  () -> {
                    start.await();
                    return w.tryBeginRefresh(LEASE);
                  }));
        }
        start.countDown();
        int won = 0;
        for (Future<Boolean> f : wins) {
          won += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        assertThat(won).isEqualTo(1);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void invalidateDropsOnlyTheRejectedToken(Dialect dialect) {
    try (TestDatabases dbs = TestDatabases.fresh(dialect, dir)) {
      SharedTokens a = new SharedTokens(dbs.open(), time, "channex", "worker-a", SECRET);
      SharedTokens b = new SharedTokens(dbs.open(), time, "channex", "worker-b", SECRET);
      AccessToken old = token("tok-1");
      a.publish(old);
      AccessToken fresh = token("tok-2");
      b.publish(fresh);

      a.invalidate(old); // a late 401 for the replaced token
      assertThat(a.read()).contains(fresh);

      b.invalidate(fresh);
      assertThat(a.read()).isEmpty();
      assertThat(b.read()).isEmpty();
      b.invalidate(fresh); // nothing stored: nothing to do
    }
  }
}
