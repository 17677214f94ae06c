package dev.paritysync.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.store.DatabaseConfig;
import dev.paritysync.store.StoreException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineLockTest {
  private final VirtualTime time = new VirtualTime(Instant.parse("2026-03-29T00:59:59.990Z"));
  @TempDir Path dir;

  private DatabaseConfig sqlite(String parameters) {
    return DatabaseConfig.builder()
        .withUrl("jdbc:sqlite:" + dir.resolve("engine.db") + parameters)
        .build();
  }

  @Test
  void aSecondEngineOnTheSameSqliteFileIsRefusedNamingDatabaseUrl() {
    DatabaseConfig config = sqlite("?password=hunter2");
    try (EngineLock first = EngineLock.acquire(config, "worker-a", time)) {
      assertThatThrownBy(() -> EngineLock.acquire(config, "worker-b", time))
          .isInstanceOf(StoreException.class)
          .hasMessage(
              "database.url jdbc:sqlite:"
                  + dir.resolve("engine.db")
                  + "?[parameters] is in use by another paritysync engine (pid "
                  + ProcessHandle.current().pid()
                  + " on host "
                  + WorkerRegistry.hostName()
                  + " since 2026-03-29T00:59:59.990Z): SQLite serves one engine process; to run"
                  + " several workers, point database.url at PostgreSQL (see docs/scaling.md)");
      assertThat(first.toString()).contains("held=true");
    }
  }

  @Test
  void closeReleasesTheLock() throws Exception {
    DatabaseConfig config = sqlite("");
    EngineLock first = EngineLock.acquire(config, "worker-a", time);
    first.close();
    first.close(); // idempotent

    try (EngineLock second = EngineLock.acquire(config, "worker-b", time)) {
      assertThat(Files.readString(dir.resolve("engine.db.engine-lock")))
          .contains("pid=" + ProcessHandle.current().pid())
          .contains("worker=worker-b")
          .contains("since=2026-03-29T00:59:59.990Z");
    }
  }

  @Test
  void postgresqlAndInMemoryDatabasesGetALockThatHoldsNothing() {
    for (String url :
        List.of(
            "jdbc:postgresql://127.0.0.1:5432/paritysync?user=ps",
            "jdbc:sqlite::memory:",
            "jdbc:sqlite:file:shared?mode=memory&cache=shared")) {
      DatabaseConfig config = DatabaseConfig.builder().withUrl(url).build();
      try (EngineLock a = EngineLock.acquire(config, "worker-a", time);
          EngineLock b = EngineLock.acquire(config, "worker-b", time)) {
        assertThat(a.toString()).isEqualTo("EngineLock{none}");
        assertThat(b.toString()).isEqualTo("EngineLock{none}");
      }
    }
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void anEngineInAnotherProcessHoldsTheLockUntilItIsKilled() throws Exception {
    DatabaseConfig config = sqlite("");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto",
                "-cp",
                System.getProperty("java.class.path"),
                EngineLockHolder.class.getName(),
                config.url())
            .redirectError(dir.resolve("child.err").toFile())
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line = CompletableFuture.supplyAsync(() -> readLine(out)).get(60, TimeUnit.SECONDS);
      assertThat(line)
          .as("child stderr: %s", Files.readString(dir.resolve("child.err")))
          .isEqualTo("locked");

      assertThatThrownBy(() -> EngineLock.acquire(config, "worker-a", time))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("is in use by another paritysync engine (pid " + child.pid() + " ")
          .hasMessageContaining("database.url jdbc:sqlite:" + dir.resolve("engine.db"));

      child.destroyForcibly(); // SIGKILL: the operating system releases the lock
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

      try (EngineLock mine = EngineLock.acquire(config, "worker-a", time)) {
        assertThat(mine.toString()).contains("held=true");
      }
    } finally {
      child.destroyForcibly();
    }
  }

  private static String readLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
