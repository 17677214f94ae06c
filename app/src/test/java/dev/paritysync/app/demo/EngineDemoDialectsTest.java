package dev.paritysync.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demo with its channels speaking the OTA, Cloudbeds and Channex dialects instead of the native
 * one, on {@code demo --quick}'s portfolio ({@value EngineDemo#QUICK_DAYS} days): the dialects are
 * what this checks, and the full year is {@link EngineDemoTest}'s. A class of its own so that the
 * two demos run in app's two test JVMs at once.
 */
class EngineDemoDialectsTest {

  @Test
  void otaCloudbedsAndChannexChannelsReachParity() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    int code =
        new EngineDemo(
                12,
                400,
                Duration.ofSeconds(2),
                Duration.ofSeconds(3),
                EngineDemo.QUICK_DAYS,
                null,
                List.of("ota", "cloudbeds", "channex"),
                out)
            .run();

    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(code).as(text).isZero();
    assertThat(text)
        .contains("portfolio loaded: 9,600 cells accepted")
        .containsPattern("healthy +9,600 +9,600 +0 +0 ")
        .contains("at parity: every cell not in a queue holds the truth on every channel")
        .contains("healthy  channel cannot be read: no snapshot API")
        .contains("the drift found is exactly the drift made");
  }
}
