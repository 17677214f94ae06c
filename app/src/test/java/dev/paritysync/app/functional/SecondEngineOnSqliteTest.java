package dev.paritysync.app.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.app.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite serves one engine process: with {@code serve} running on a file (a child JVM), a second
 * {@code serve} and a {@code run} on the same file stop at once with exit status 2 and one line
 * naming {@code database.url} and the process holding it; once the first stops, the file is free.
 */
class SecondEngineOnSqliteTest {
  private static final Duration START = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void aSecondEngineOnTheSameFileExitsTwoNamingDatabaseUrl() throws Exception {
    Path config = dir.resolve("paritysync.yaml");
    Files.writeString(
        config,
        "database: {url: \"jdbc:sqlite:"
            + dir.resolve("one.db")
            + "\"}\n"
            + "portfolio: {properties: {P1: {timezone: UTC, rooms: {DBL: {ratePlans: {BAR:"
            + " EUR}}}}}}\n"
            + "channels: {a: {adapter: native, baseUrl: \"http://127.0.0.1:9/\", credentials:"
            + " {apiKey: {header: X-Api-Key, value: \"${file:"
            + Files.writeString(dir.resolve("key"), "k")
            + "}\"}}, mapping: {rooms: {DBL: D1}, ratePlans: {BAR: R1}}}}\n"
            + "server: {port: 0, drain: 1s, shutdownDeadline: 2s}\n");
    List<String> lines = new CopyOnWriteArrayList<>();
    ChildJvm first =
        ChildJvm.start(
            List.of("serve", "--config", config.toString()),
            Map.of(),
            dir.resolve("first.err"),
            lines::add);
    try {
      first.await(
          "serving", START, () -> lines.stream().anyMatch(l -> l.startsWith("serving http://")));

      // run reads no server: section (it has no HTTP server), so it gets the file without it
      Path runConfig = dir.resolve("run.yaml");
      Files.writeString(runConfig, Files.readString(config).replaceAll("(?m)^server: .*\n", ""));
      for (String command : List.of("serve", "run")) {
        ChildJvm second =
            ChildJvm.start(
                List.of(
                    command, "--config", (command.equals("run") ? runConfig : config).toString()),
                Map.of(),
                dir.resolve(command + ".err"),
                line -> {});
        assertThat(second.process.waitFor(START.toSeconds(), TimeUnit.SECONDS))
            .as("a second %s exits", command)
            .isTrue();
        assertThat(second.process.exitValue()).as(second.tail()).isEqualTo(2);
        assertThat(second.tail())
            .contains("paritysync: database.url jdbc:sqlite:")
            .contains("one.db")
            .contains("is in use by another paritysync engine")
            .contains("pid " + first.process.pid());
      }
      assertThat(first.process.isAlive()).isTrue();
    } finally {
      first.process.destroy(); // SIGTERM: a clean stop
      first.process.waitFor(START.toSeconds(), TimeUnit.SECONDS);
    }
    assertThat(first.process.exitValue()).as(first.tail()).isZero();
  }
}
