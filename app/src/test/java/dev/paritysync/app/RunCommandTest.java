package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code paritysync run} in this JVM, for what ends on its own: bad configuration, bad feeds. */
class RunCommandTest {
  @TempDir Path dir;

  private Path config(String engine) throws Exception {
    Path file = dir.resolve("engine.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "database: {url: \"jdbc:sqlite:" + dir.resolve("ps.db") + "\"}",
            engine,
            "portfolio:",
            "  properties:",
            "    P1: {timezone: UTC, rooms: {DBL: {ratePlans: {BAR: EUR}}}}",
            "channels:",
            "  a:",
            "    adapter: native",
            "    baseUrl: http://127.0.0.1:9/",
            "    credentials: {apiKey: {header: X-Api-Key, value: \"${file:" + key() + "}\"}}",
            "    mapping: {rooms: {DBL: D1}, ratePlans: {BAR: R1}}",
            ""));
    return file;
  }

  private Path key() throws Exception {
    Path key = dir.resolve("key");
    Files.writeString(key, "k");
    return key;
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = Main.commandLine().execute(args);
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private static String change(String room, LocalDate day) {
    return "{\"property\":\"P1\",\"roomType\":\""
        + room
        + "\",\"ratePlan\":\"BAR\",\"from\":\""
        + day
        + "\",\"to\":\""
        + day
        + "\",\"rate\":{\"amount\":\"99.00\",\"currency\":\"EUR\"}}";
  }

  @Test
  void sectionsOnlyServeReadsAreRefusedNotIgnored() throws Exception {
    Path file = config("server: {port: 8080}");
    Files.writeString(
        file,
        Files.readString(file)
            + "    webhook: {strategy: shared-secret, header: X-Token, secrets: \"${file:"
            + key()
            + "}\"}\n");
    Run r = run("run", "--config", file.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo(
            "paritysync: "
                + file
                + ": server, channels.a.webhook are read by 'paritysync serve' only ('run' has"
                + " no HTTP server); remove them or use serve");
    assertThat(dir.resolve("ps.db")).as("nothing opened").doesNotExist();
  }

  @Test
  void anInvalidFeedLineStopsWithExit2AfterTheCallsBeforeIt() throws Exception {
    LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(5);
    Path feed = dir.resolve("feed.ndjson");
    Files.write(feed, List.of(change("DBL", day), change("TWIN", day), change("DBL", day)));

    Run r =
        run(
            "run",
            "--config",
            config("engine: {lease: 2s}").toString(),
            "--feed",
            feed.toString(),
            "--feed-batch",
            "1",
            "--status-every",
            "0");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).contains("accepted 1\n").doesNotContain("accepted 2");
    assertThat(r.err())
        .contains("paritysync: --feed line 2: roomType: TWIN is not a room type of property P1");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("ps.db"));
        ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM ari_changes")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(1);
    }
  }

  @Test
  void aBadConfigurationIsOneLineNamingTheKeyAndExit2() throws Exception {
    Run r = run("run", "--config", config("engine: {tick: soon}").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo(
            "paritysync: "
                + dir.resolve("engine.yaml")
                + ": engine.tick: 'soon' is not a duration (examples: 250ms, 1s, 15m, 72h, 2d,"
                + " PT30S)");
    assertThat(run("run", "--config", config("").toString(), "--status-every", "often").err())
        .contains("--status-every: 'often' is not a duration");
  }
}
