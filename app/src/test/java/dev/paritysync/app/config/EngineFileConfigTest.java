package dev.paritysync.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.hotel.reconcile.ReconcileSchedule;
import dev.paritysync.hotel.reconcile.Thresholds;
import dev.paritysync.store.DatabaseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EngineFileConfigTest {
  @TempDir Path dir;

  private static final String CHANNELS =
      "channels:\n"
          + "  a:\n"
          + "    adapter: native\n"
          + "    baseUrl: http://127.0.0.1:9/\n"
          + "    credentials: {apiKey: {header: X-Api-Key, value: \"${env:KEY}\"}}\n"
          + "    mapping: {rooms: {DBL: D1}, ratePlans: {BAR: R1}}\n";

  private static final String PORTFOLIO =
      "portfolio:\n"
          + "  properties:\n"
          + "    P1: {timezone: Europe/Berlin, rooms: {DBL: {ratePlans: {BAR: EUR, NRF: EUR}},"
          + " SGL: {ratePlans: {BAR: EUR}}}}\n";

  private static final SecretResolver SECRETS = SecretResolver.constant(Secret.of("k"));

  @SuppressWarnings("unchecked")
  private static EngineFileConfig parse(String yaml) throws Exception {
    Map<String, Object> map = new ObjectMapper(new YAMLFactory()).readValue(yaml, Map.class);
    return EngineFileConfig.fromMap(map, SECRETS);
  }

  @Test
  void readsEveryKeyAndDefaultsTheOptionalOnes() throws Exception {
    EngineFileConfig full =
        parse(
            "database: {url: \"jdbc:sqlite:/tmp/x.db\"}\n"
                + "engine: {tick: 20ms, lease: 2s, owner: host-1, seed: 7}\n"
                + PORTFOLIO
                + CHANNELS);
    assertThat(full.databaseUrl()).isEqualTo("jdbc:sqlite:/tmp/x.db");
    assertThat(full.tick()).isEqualTo(Duration.ofMillis(20));
    assertThat(full.lease()).isEqualTo(Duration.ofSeconds(2));
    assertThat(full.owner()).isEqualTo("host-1");
    assertThat(full.seed()).isEqualTo(7);
    assertThat(full.portfolio().property("P1").orElseThrow().zone())
        .isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(
            full.portfolio().property("P1").orElseThrow().roomType("DBL").orElseThrow().ratePlans())
        .hasSize(2);
    assertThat(full.channels()).containsOnlyKeys("a");

    EngineFileConfig minimal = parse(PORTFOLIO + CHANNELS);
    assertThat(minimal.databaseUrl()).isEqualTo(DatabaseConfig.DEFAULT_URL);
    assertThat(minimal.tick()).isEqualTo(EngineFileConfig.DEFAULT_TICK);
    assertThat(minimal.lease()).isEqualTo(EngineFileConfig.DEFAULT_LEASE);
    assertThat(minimal.owner()).isEqualTo("paritysync");
    assertThat(minimal.cluster()).isEqualTo(EngineFileConfig.ClusterConfig.DEFAULTS);
    assertThat(minimal.cluster().heartbeat()).isEqualTo(Duration.ofSeconds(5));
    assertThat(minimal.cluster().singletonLease()).isEqualTo(Duration.ofSeconds(30));
    assertThat(minimal.cluster().aliveWithin()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void readsTheClusterSection() throws Exception {
    EngineFileConfig c =
        parse(PORTFOLIO + CHANNELS + "cluster: {heartbeat: 2s, singletonLease: 1m}\n");

    assertThat(c.cluster().heartbeat()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.cluster().singletonLease()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.cluster().aliveWithin()).isEqualTo(Duration.ofSeconds(6));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "databse: {url: x}|databse: unknown key",
        "database: {url: \"jdbc:mysql://h/db\"}|database.url:",
        "database: {url: \"jdbc:sqlite:x.db\", user: y}|database.user: unknown key",
        "engine: {tick: fast}|engine.tick: 'fast' is not a duration",
        "engine: {lease: 0s}|engine.lease: must be positive",
        "engine: {leese: 2s}|engine.leese: unknown key",
        "engine: {owner: \" \"}|engine.owner: must not be blank",
        "engine: {owner: a/b}|engine.owner: 'a/b' must be at most 64 characters without '/'",
        "engine: {owner: \"a b\"}|engine.owner: 'a b' must be at most 64 characters",
        "cluster: {heartbeat: 0s}|cluster.heartbeat: must be positive, was 0s",
        "cluster: {heartbeat: 50ms}|cluster.heartbeat: must be at least 100ms, was 50ms",
        "cluster: {heartbeat: often}|cluster.heartbeat: 'often' is not a duration",
        "cluster: {singletonLease: 0ms}|cluster.singletonLease: must be positive, was 0ms",
        "cluster: {singletonLease: 500ms}|cluster.singletonLease: must be at least 1s, was 500ms",
        "cluster: {lease: 30s}|cluster.lease: unknown key; expected one of heartbeat, singletonLease",
        "cluster: 5s|cluster: expected a map, got a string",
      })
  void badEngineAndDatabaseKeysAreNamed(String line, String message) {
    assertThatThrownBy(() -> parse(line + "\n" + PORTFOLIO + CHANNELS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "P1: {timezone: Mars/Olympus, rooms: {DBL: {}}}"
            + "|portfolio.properties.P1.timezone: 'Mars/Olympus' is not a time zone",
        "P1: {rooms: {DBL: {}}}|portfolio.properties.P1.timezone: is missing",
        "P1: {timezone: UTC}|portfolio.properties.P1.rooms: is missing or empty",
        "P1: {timezone: UTC, rooms: {DBL: {ratePlans: {BAR: EURO}}}}"
            + "|portfolio.properties.P1.rooms.DBL.ratePlans.BAR: 'EURO' is not an ISO 4217",
        "P1: {timezone: UTC, rooms: {DBL: {plans: {BAR: EUR}}}}"
            + "|portfolio.properties.P1.rooms.DBL.plans: unknown key",
        "P1: {timezone: UTC, beds: 3, rooms: {DBL: {}}}|portfolio.properties.P1.beds: unknown key",
      })
  void badPortfolioValuesAreNamedByTheirFullPath(String property, String message) {
    assertThatThrownBy(() -> parse("portfolio:\n  properties:\n    " + property + "\n" + CHANNELS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void reconciliationThresholdsDefaultAndNameTheirBadKeys() throws Exception {
    assertThat(parse(PORTFOLIO + CHANNELS).reconciliation().of("a")).isEqualTo(Thresholds.DEFAULTS);
    EngineFileConfig c =
        parse(
            PORTFOLIO
                + CHANNELS
                + "reconciliation:\n"
                + "  autoCorrect: {maxCells: 20, maxPercent: 2.5}\n"
                + "  channels: {a: {autoCorrect: {maxCells: 3}}}\n");
    assertThat(c.reconciliation().defaults()).isEqualTo(new Thresholds(20, 2.5));
    assertThat(c.reconciliation().of("a")).isEqualTo(new Thresholds(3, 2.5));
    assertThatThrownBy(
            () -> parse(PORTFOLIO + CHANNELS + "reconciliation: {autoCorrect: {maxCells: -1}}\n"))
        .hasMessage("reconciliation.autoCorrect.maxCells: must be at least 0, was -1");
    assertThatThrownBy(
            () ->
                parse(PORTFOLIO + CHANNELS + "reconciliation: {autoCorrect: {maxPercent: 150}}\n"))
        .hasMessage("reconciliation.autoCorrect.maxPercent: must be between 0 and 100, was 150.0");
    assertThatThrownBy(() -> parse(PORTFOLIO + CHANNELS + "reconciliation: {channels: {zz: {}}}\n"))
        .hasMessage("reconciliation.channels.zz: no such channel; channels: [a]");
    assertThatThrownBy(
            () -> parse(PORTFOLIO + CHANNELS + "reconciliation: {autoCorrect: {cells: 1}}\n"))
        .hasMessageStartingWith("reconciliation.autoCorrect.cells: unknown key");
  }

  @Test
  void aReconciliationScheduleIsOptionalDefaultsWhatItOmitsAndNamesItsBadKeys() throws Exception {
    assertThat(parse(PORTFOLIO + CHANNELS).reconciliation().schedule()).isEmpty();
    assertThat(
            parse(PORTFOLIO + CHANNELS + "reconciliation: {schedule: {}}\n")
                .reconciliation()
                .schedule())
        .contains(ReconcileSchedule.Timetable.DEFAULTS);
    assertThat(
            parse(
                    PORTFOLIO
                        + CHANNELS
                        + "reconciliation:\n"
                        + "  schedule: {nightlyAt: \"02:30\", fullDays: 90, lightEvery: 30m,"
                        + " lightDays: 7}\n")
                .reconciliation()
                .schedule())
        .contains(
            new ReconcileSchedule.Timetable(
                java.time.LocalTime.of(2, 30), 90, java.time.Duration.ofMinutes(30), 7));
    assertThatThrownBy(
            () ->
                parse(PORTFOLIO + CHANNELS + "reconciliation: {schedule: {nightlyAt: midnight}}\n"))
        .hasMessage(
            "reconciliation.schedule.nightlyAt: 'midnight' is not a time of day like 03:00 (UTC)");
    assertThatThrownBy(
            () -> parse(PORTFOLIO + CHANNELS + "reconciliation: {schedule: {fullDays: 0}}\n"))
        .hasMessage("reconciliation.schedule: fullDays must be at least 1, was 0");
    assertThatThrownBy(() -> parse(PORTFOLIO + CHANNELS + "reconciliation: {schedule: {at: 1}}\n"))
        .hasMessageStartingWith("reconciliation.schedule.at: unknown key");
  }

  @Test
  void missingSectionsAndChannelErrorsAreNamed() {
    assertThatThrownBy(() -> parse(CHANNELS)).hasMessageStartingWith("portfolio: is missing");
    assertThatThrownBy(() -> parse(PORTFOLIO)).hasMessageStartingWith("channels: is missing");
    assertThatThrownBy(() -> parse(PORTFOLIO + CHANNELS.replace("http://", "ftp://")))
        .hasMessageContaining("channels.a.baseUrl");
    assertThatThrownBy(() -> parse(PORTFOLIO + CHANNELS + "extra: 1\n"))
        .hasMessageStartingWith("extra: unknown key");
  }

  @Test
  void aFileIsNamedInItsErrors() throws Exception {
    Path file = dir.resolve("engine.yaml");
    Files.writeString(file, "engine: {tick: soon}\n" + PORTFOLIO + CHANNELS);
    assertThatThrownBy(() -> EngineFileConfig.load(file, SECRETS))
        .hasMessage(
            file
                + ": engine.tick: 'soon' is not a duration (examples: 250ms, 1s, 15m,"
                + " 72h, 2d, PT30S)");
    assertThatThrownBy(() -> EngineFileConfig.load(dir.resolve("none.yaml"), SECRETS))
        .hasMessageStartingWith("--config: no such file:");
    Files.writeString(file, "engine: [\n");
    assertThatThrownBy(() -> EngineFileConfig.load(file, SECRETS))
        .hasMessageStartingWith(file + ": not valid YAML");
  }

  @Test
  void eachChannelsResilienceIsReadAndCheckedAtLoad() throws Exception {
    EngineFileConfig ok =
        parse(
            PORTFOLIO
                + CHANNELS
                + "    resilience: {backoff: {base: 250ms}, quotas: {ari: [\"5/1s\"]}}\n"
                + "    reservations: {mode: poll}\n");
    assertThat(ok.policies()).containsOnlyKeys("a");
    assertThat(ok.policies().get("a").backoff().base()).isEqualTo(Duration.ofMillis(250));
    assertThat(ok.policies().get("a").quotas()).containsOnlyKeys("ari");
    assertThat(ok.polling()).containsOnlyKeys("a");

    Path file = dir.resolve("paritysync.yaml");
    Files.writeString(file, PORTFOLIO + CHANNELS + "    resilience: {backoff: {base: 0s}}\n");
    assertThatThrownBy(() -> EngineFileConfig.load(file, SECRETS))
        .hasMessage(file + ": channels.a.resilience.backoff.base: must be positive, was 0s");
    Files.writeString(
        file, PORTFOLIO + CHANNELS + "    resilience: {quotas: {rates: [\"1/1s\"]}}\n");
    assertThatThrownBy(() -> EngineFileConfig.load(file, SECRETS))
        .hasMessageStartingWith(
            file + ": channels.a.resilience.quotas.rates: the native adapter sends to no such");
  }
}
