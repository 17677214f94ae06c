package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.time.Clock;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.CellValue;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code paritysync run} with a polled channel, in this JVM on the real clock against two real
 * simulators: channel {@code a} (OAuth2) has no webhooks and is polled per its {@code reservations}
 * block; a booking taken there reaches channel {@code b} as availability.
 */
class RunPollingTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).plusDays(10);

  @TempDir Path dir;
  private SimChannel a;
  private SimChannel b;

  @AfterEach
  void closeSims() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  private Path file(String name, String text) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  private Path config() throws Exception {
    Path secret = file("a-secret", "s3cr3t");
    Path key = file("b-key", "k");
    return file(
        "engine.yaml",
        String.join(
            "\n",
            "database: {url: \"jdbc:sqlite:" + dir.resolve("ps.db") + "\"}",
            "engine: {tick: 20ms}",
            "portfolio:",
            "  properties:",
            "    P1: {timezone: UTC, rooms: {DBL: {ratePlans: {BAR: EUR}}}}",
            "channels:",
            "  a:",
            "    adapter: native",
            "    baseUrl: " + a.baseUri(),
            "    credentials:",
            "      oauth2: {tokenUrl: \""
                + a.baseUri().resolve("/oauth/token")
                + "\", clientId: ps, clientSecret: \"${file:"
                + secret
                + "}\"}",
            "    mapping: {rooms: {DBL: D1}, ratePlans: {BAR: R1}}",
            "    reservations: {mode: poll, minInterval: 50ms, maxInterval: 200ms, jitter: 0}",
            "  b:",
            "    adapter: native",
            "    baseUrl: " + b.baseUri(),
            "    credentials: {apiKey: {header: X-Api-Key, value: \"${file:" + key + "}\"}}",
            "    mapping: {rooms: {DBL: D1}, ratePlans: {BAR: R1}}",
            ""));
  }

  private static Integer availability(SimChannel sim, LocalDate day) {
    CellValue v = sim.state("P1").get(new CellKey("D1", null, day));
    return v == null ? null : v.availability();
  }

  /** Waits in real time (the command runs on the real clock) until {@code done}. */
  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void aConfiguredPollerFetchesABookingAndItsAvailabilityReachesTheOtherChannel() throws Exception {
    a =
        SimChannel.start(
            SimConfig.newBuilder().withOAuth("ps", "s3cr3t", Duration.ofHours(1)).build(),
            Clock.system());
    b = SimChannel.start(SimConfig.healthy(2), Clock.system());
    Path feed =
        file(
            "feed.ndjson",
            "{\"property\":\"P1\",\"roomType\":\"DBL\",\"from\":\""
                + DAY
                + "\",\"to\":\""
                + DAY.plusDays(2)
                + "\",\"availability\":5}\n");
    RunCommand command = new RunCommand();
    PrintStream stdout = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    String cfg = config().toString();
    CompletableFuture<Integer> exit = null;
    try {
      exit =
          CompletableFuture.supplyAsync(
              () ->
                  new CommandLine(command)
                      .execute("--config", cfg, "--status-every", "0", "--feed", feed.toString()));
      await(
          "availability at both channels",
          () ->
              Integer.valueOf(5).equals(availability(b, DAY.plusDays(1)))
                  && Integer.valueOf(5).equals(availability(a, DAY.plusDays(1))));

      String id = a.book("P1", "D1", DAY, DAY.plusDays(2)); // two nights

      await(
          "the booking at channel b",
          () -> Integer.valueOf(4).equals(availability(b, DAY.plusDays(1))));
      await("the acknowledgement", () -> a.isAcknowledged(id, 1));
      assertThat(availability(b, DAY)).isEqualTo(4);
      assertThat(availability(b, DAY.plusDays(2))).isEqualTo(5); // the departure day
      assertThat(availability(a, DAY)).isEqualTo(5); // the channel that took it holds it already
      // channel a answers its feed only with a Bearer token: the poll carried one
      command.stop();
      assertThat(exit.get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isZero();
    } finally {
      command.stop();
      System.setOut(stdout);
    }
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("reservations a received=1 new=1 acknowledged=true");
  }
}
