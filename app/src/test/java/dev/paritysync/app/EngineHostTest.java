package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.app.config.EngineFileConfig;
import dev.paritysync.core.time.Clock;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import dev.paritysync.store.cluster.Leases;
import dev.paritysync.store.cluster.WorkerRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code run} and {@code serve} host the engine on a real SQLite file: the process joins as a
 * worker whose id starts with {@code engine.owner}, takes the engine lock (a second engine on the
 * file is refused naming {@code database.url}), runs its singletons at once (freeing leases a
 * killed predecessor left), and on close gives the leases back and leaves the cluster.
 */
class EngineHostTest {
  @TempDir Path dir;

  @Test
  void joinsRunsItsSingletonsAtOnceAndLeavesInOrder() throws Exception {
    Path db = dir.resolve("host.db");
    EngineFileConfig cfg = config(db);
    try (Database before = open(db)) {
      // A predecessor killed while holding the prune lease: its lease would hold 5 more minutes.
      new Leases(before, Clock.system()).tryHold("prune", "dead-worker", Duration.ofMinutes(5));
    }

    String worker;
    try (EngineHost host = open(cfg)) {
      host.start();
      worker = host.cluster().workerId();

      assertThat(worker).startsWith("host-1-");
      assertThat(host.runs(EngineHost.PRUNE)).isTrue();
      assertThat(new Leases(host.db(), Clock.system()).holder("prune").orElseThrow().owner())
          .isEqualTo(worker);
      assertThat(host.cluster().registry().workers(cfg.cluster().aliveWithin()))
          .singleElement()
          .satisfies(w -> assertThat(w.alive()).isTrue());

      assertThatThrownBy(() -> open(cfg))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("database.url ")
          .hasMessageContaining("in use by another paritysync engine");
    }

    try (Database after = open(db)) {
      assertThat(new Leases(after, Clock.system()).all()).isEmpty();
      List<WorkerRegistry.Worker> workers =
          new WorkerRegistry(after, Clock.system()).workers(Duration.ofMinutes(1));
      assertThat(workers).singleElement().satisfies(w -> assertThat(w.id()).isEqualTo(worker));
      assertThat(workers.get(0).alive()).isFalse();
      assertThat(workers.get(0).stoppedAt()).isNotNull();
    }
    try (EngineHost again = open(cfg)) {
      assertThat(again.cluster().workerId()).isNotEqualTo(worker); // the lock was let go
    }
  }

  private EngineHost open(EngineFileConfig cfg) {
    return EngineHost.open(
        cfg,
        Clock.system(),
        Duration.ofSeconds(1),
        0,
        List.of(),
        b -> {},
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  private static Database open(Path file) {
    return Database.open(
        DatabaseConfig.builder()
            .withSqliteFile(file)
            .withMigrations("classpath:db/migration/hotel")
            .build());
  }

  private EngineFileConfig config(Path db) throws Exception {
    Path file = dir.resolve("paritysync.yaml");
    Files.writeString(
        file,
        "database: {url: \"jdbc:sqlite:"
            + db
            + "\"}\n"
            + "engine: {owner: host-1}\n"
            + "portfolio: {properties: {P1: {timezone: UTC, rooms: {DBL: {ratePlans: {BAR:"
            + " EUR}}}}}}\n"
            + "channels: {a: {adapter: native, baseUrl: \"http://127.0.0.1:9/\", credentials:"
            + " {apiKey: {header: X-Api-Key, value: \"${file:"
            + Files.writeString(dir.resolve("key"), "k")
            + "}\"}}, mapping: {rooms: {DBL: D1}, ratePlans: {BAR: R1}}}}\n");
    return EngineFileConfig.load(file, SecretResolver.system());
  }
}
