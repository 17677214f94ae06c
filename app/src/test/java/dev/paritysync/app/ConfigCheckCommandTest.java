package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code paritysync config check}: every file of {@code examples/} passes; each kind of error is
 * exit 2 with the file and key path; what the machine lacks is a note, or an error with --strict;
 * and nothing is created.
 */
class ConfigCheckCommandTest {
  private static final Path EXAMPLES = Path.of("").toAbsolutePath().getParent().resolve("examples");

  @TempDir Path dir;

  @Test
  void everyExampleIsValidWithoutItsEnvironment() throws IOException {
    List<Path> examples;
    try (Stream<Path> files = Files.walk(EXAMPLES)) {
      examples = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(examples).hasSizeGreaterThanOrEqualTo(7);
    for (Path example : examples) {
      Run r = check(Map.of(), example.toString());
      assertThat(r.code).as(example + ":\n" + r.err + r.out).isZero();
      assertThat(r.out)
          .as(example.toString())
          .containsPattern("(?m)^(channel|source) \\S+: ")
          .contains("ok: " + example + " is valid");
    }
  }

  @Test
  void describesEachChannelAndNotesWhatTheMachineLacks() throws IOException {
    Path file = EXAMPLES.resolve("postgres-two-workers.yaml");
    Run r = check(Map.of("BOOKING_SECRET", "s3cret-value"), file.toString());

    assertThat(r.code).as(r.err).isZero();
    assertThat(r.out)
        .contains("engine configuration for serve (run refuses server, channels.booking.webhook)")
        .contains("database jdbc:postgresql://127.0.0.1:5432/paritysync?[parameters]: postgresql")
        .contains("portfolio P1, P2: 2 properties, 3 room types, 4 rate plans")
        .contains(
            "channel booking: adapter native, http://127.0.0.1:9081/, OAuth2 client paritysync at"
                + " http://127.0.0.1:9081/oauth/token from env:BOOKING_SECRET, maps 2 room types"
                + " and 2 rate plans, quotas ari 10/1m, reservations by webhook (standard, serve"
                + " only)")
        .contains("note: secret env:BOOKING_WHSEC cannot be resolved here")
        .contains("note: environment variable PGPASSWORD is not set")
        .doesNotContain("note: secret env:BOOKING_SECRET")
        .doesNotContain("s3cret-value");
  }

  @Test
  void strictFailsOnWhatTheMachineLacks() throws IOException {
    Path file = EXAMPLES.resolve("minimal.yaml");
    Run r = check(Map.of(), "--strict", file.toString());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err)
        .isEqualTo(
            "paritysync: "
                + file
                + ": channels.booking.credentials.apiKey.value: environment variable BOOKING_KEY"
                + " is not set\n");
    assertThat(check(Map.of("BOOKING_KEY", "k"), "--strict", file.toString()).code).isZero();
  }

  @Test
  void aMissingSqliteDirectoryIsANoteAndNothingIsCreated() throws IOException {
    Path db = dir.resolve("missing/paritysync.db");
    Path file = write("database: {url: \"jdbc:sqlite:" + db + "\"}\n" + minimal(), "sqlite.yaml");

    Run r = check(Map.of("BOOKING_KEY", "k"), file.toString());
    assertThat(r.code).as(r.err).isZero();
    assertThat(r.out)
        .contains("database jdbc:sqlite:" + db + ": sqlite file " + db)
        .contains("note: database.url: directory " + db.getParent() + " does not exist");
    assertThat(db.getParent()).doesNotExist();

    Run strict = check(Map.of("BOOKING_KEY", "k"), "--strict", file.toString());
    assertThat(strict.code).isEqualTo(2);
    assertThat(strict.err).contains(file + ": database.url: directory ");
    assertThat(db.getParent()).doesNotExist();
  }

  @Test
  void eachErrorIsExitTwoNamingTheFileAndKey() throws IOException {
    List<String[]> cases = new ArrayList<>();
    cases.add(
        new String[] {
          "adapter: native",
          "adapter: natve",
          "channels.booking.adapter: unknown adapter 'natve'; known: channex, cloudbeds, native, ota"
        });
    cases.add(
        new String[] {
          "mapping:",
          "resilience: {backoff: {bse: 1s}}\n    mapping:",
          "channels.booking.resilience.backoff.bse: unknown key"
        });
    cases.add(
        new String[] {
          "mapping:",
          "resilience: {backoff: {base: 0s}}\n    mapping:",
          "channels.booking.resilience.backoff.base: must be positive, was 0s\n"
        });
    cases.add(
        new String[] {
          "mapping:",
          "resilience: {quotas: {rates: [\"1/1s\"]}}\n    mapping:",
          "channels.booking.resilience.quotas.rates: the native adapter sends to no such endpoint; its quota endpoints are ari and read"
        });
    cases.add(
        new String[] {
          "mapping:",
          "options: {currency: EUR}\n    mapping:",
          "channels.booking.options.currency: unknown key; the native adapter takes no options"
        });
    cases.add(
        new String[] {
          "adapter: native",
          "adapter: ota\n    options: {maxMessageBytes: 0KB}",
          "channels.booking.options.maxMessageBytes: must be at least 1 byte, was 0KB"
        });
    cases.add(
        new String[] {
          "timezone: Europe/Berlin",
          "timezone: Mars/Olympus",
          "portfolio.properties.P1.timezone: 'Mars/Olympus' is not a time zone"
        });
    cases.add(
        new String[] {
          "value: \"${env:BOOKING_KEY}\"",
          "value: inline",
          "channels.booking.credentials.apiKey.value: must be a reference"
        });
    for (String[] c : cases) {
      Path file = write(minimal().replace(c[0], c[1]), "bad.yaml");
      Run r = check(Map.of(), file.toString());
      assertThat(r.code).as(c[2] + "\n" + r.out).isEqualTo(2);
      assertThat(r.err).startsWith("paritysync: " + file + ": " + c[2]);
    }
    // several files: each is described, the first error stops the check
    Path good = EXAMPLES.resolve("minimal.yaml");
    Path bad = write(minimal().replace("adapter: native", "adapter: natve"), "bad.yaml");
    Run several = check(Map.of(), good.toString(), bad.toString(), good.toString());
    assertThat(several.code).isEqualTo(2);
    assertThat(several.out).containsOnlyOnce("ok: " + good + " is valid");
    assertThat(several.err).startsWith("paritysync: " + bad + ": channels.booking.adapter: ");
    Run missing = check(Map.of(), dir.resolve("nothing.yaml").toString());
    assertThat(missing.code).isEqualTo(2);
    assertThat(missing.err)
        .isEqualTo("paritysync: FILE: no such file: " + dir.resolve("nothing.yaml") + "\n");
  }

  @Test
  void aRoyaltyFileIsCheckedByTheRoyaltyLoaders() throws IOException {
    Path ok =
        write(
            "sources:\n  labelco: {format: csv, columns: {isrc: Track ISRC}}\n"
                + "drift: {volume: {factor: 4}}\n",
            "royalty.yaml");
    Run r = check(Map.of(), ok.toString());
    assertThat(r.code).as(r.err).isZero();
    assertThat(r.out)
        .contains("config " + ok + ": royalty configuration for royalty ingest")
        .containsPattern("(?m)^source labelco: format csv, \\d+ fields mapped")
        .contains("drift: thresholds read");

    Path bad = write("sources:\n  labelco: {format: csv, saleTypes: {RF: refund}}\n", "bad.yaml");
    Run b = check(Map.of(), bad.toString());
    assertThat(b.code).isEqualTo(2);
    assertThat(b.err).startsWith("paritysync: " + bad + ": sources.labelco.saleTypes.RF: ");

    // a misspelt section would leave the defaults in force: an error, not ignored
    Path typo =
        write("sources:\n  labelco: {format: csv}\ndrfit: {volume: {factor: 4}}\n", "t.yaml");
    Run t = check(Map.of(), typo.toString());
    assertThat(t.code).isEqualTo(2);
    assertThat(t.err)
        .startsWith("paritysync: " + typo + ": drfit: unknown key; expected one of sources, drift");

    Path drift = write("drift: {volume: {factor: 1}}\n", "drift.yaml");
    Run d = check(Map.of(), drift.toString());
    assertThat(d.code).isEqualTo(2);
    assertThat(d.err).startsWith("paritysync: " + drift + ": drift.volume.factor: must be above 1");
    // forced to the engine loader, the same file fails there
    assertThat(check(Map.of(), "--kind", "engine", ok.toString()).err)
        .contains("portfolio: is missing");
  }

  // ------------------------------------------------------------------ helpers

  private static String minimal() throws IOException {
    return Files.readString(EXAMPLES.resolve("minimal.yaml"));
  }

  private Path write(String yaml, String name) throws IOException {
    return Files.writeString(dir.resolve(name), yaml);
  }

  private record Run(int code, String out, String err) {}

  private static Run check(Map<String, String> env, String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    ConfigCommand.Check check =
        cl.getSubcommands().get("config").getSubcommands().get("check").getCommand();
    check.env = env::get;
    String[] all = new String[args.length + 2];
    all[0] = "config";
    all[1] = "check";
    System.arraycopy(args, 0, all, 2, args.length);
    int code = cl.execute(all);
    return new Run(code, out.toString(), err.toString());
  }
}
