package dev.paritysync.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, shortened: the whole engine, three real simulators, real time. */
class EngineDemoTest {
  @TempDir Path dir;

  @Test
  void aShortDayEndsAtParityWithTheRejectedCellsInQueues() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Path db = dir.resolve("demo.db");

    int code = new EngineDemo(11, 400, Duration.ofSeconds(2), Duration.ofSeconds(3), db, out).run();

    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(code).as(text).isZero();
    assertThat(text)
        .contains("portfolio loaded: 58,400 cells accepted")
        .contains("outage: cells unmapped, not sent: rooms {}, rate plans {BB=14600}")
        .contains("outage: channel outage is back")
        .containsPattern("healthy +58,400 +58,400 +0 +0 ")
        .containsPattern("flaky +58,400 +58,400 +0 +0 ")
        .containsPattern("outage +43,800 ")
        .contains("conflict: the channel holds these cells differently (HTTP 409")
        .contains("at parity: every cell not in a queue holds the truth on every channel")
        .containsPattern("healthy +58,400 cells compared, 2 drifted, 2 re-pushed")
        .containsPattern("flaky +58,400 cells compared, 1 drifted, 1 re-pushed")
        .contains(
            "the drift found is exactly the drift made; after the re-push every channel holds the"
                + " truth again");
    assertThat(db).exists(); // --db keeps it for `paritysync queue`
    try (var reports = java.nio.file.Files.list(dir)) {
      assertThat(reports.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("reconcile-") && n.endsWith(".html"));
    }
  }

  @Test
  void refusesAnExistingDatabaseAndNonsenseSettings() throws Exception {
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    Path existing = java.nio.file.Files.createFile(dir.resolve("used.db"));
    assertThatThrownBy(
            () -> new EngineDemo(1, 10, Duration.ofSeconds(1), Duration.ZERO, existing, out).run())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("used.db exists");
    assertThatThrownBy(() -> new EngineDemo(1, 0, Duration.ofSeconds(1), Duration.ZERO, null, out))
        .hasMessageContaining("--changes");
    assertThatThrownBy(
            () -> new EngineDemo(1, 10, Duration.ofSeconds(1), Duration.ofHours(1), null, out))
        .hasMessageContaining("--outage");
    assertThatThrownBy(
            () ->
                new EngineDemo(
                    1,
                    10,
                    Duration.ofSeconds(1),
                    Duration.ZERO,
                    null,
                    List.of("native", "channex"),
                    out))
        .hasMessage(
            "--channels takes one adapter for all channels or three (healthy, flaky, outage),"
                + " got native,channex");
    assertThatThrownBy(
            () ->
                new EngineDemo(
                    1, 10, Duration.ofSeconds(1), Duration.ZERO, null, List.of("soap"), out))
        .hasMessageStartingWith("--channels: unknown adapter 'soap'; the demo's simulators speak ");
    assertThatThrownBy(
            () ->
                new EngineDemo(
                    1, 10, Duration.ofSeconds(1), Duration.ZERO, 30, null, List.of("native"), out))
        .hasMessage("the demo's portfolio spans 50 to 365 days, not 30");
  }
}
