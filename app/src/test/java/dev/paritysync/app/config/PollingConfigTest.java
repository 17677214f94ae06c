package dev.paritysync.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.hotel.channel.SecretResolver;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code channels.<name>.reservations} and {@code reconciliation.verifyAfterOpen}, as loaded. */
class PollingConfigTest {
  private static final SecretResolver SECRETS = SecretResolver.constant(Secret.of("k"));

  @SuppressWarnings("unchecked")
  private static EngineFileConfig parse(String reservations, String reconciliation)
      throws Exception {
    String yaml =
        "portfolio:\n"
            + "  properties:\n"
            + "    P1: {timezone: UTC, rooms: {DBL: {ratePlans: {BAR: EUR}}}}\n"
            + "channels:\n"
            + "  a:\n"
            + "    adapter: native\n"
            + "    baseUrl: http://127.0.0.1:9/\n"
            + "    credentials: {apiKey: {header: X-Api-Key, value: \"${env:KEY}\"}}\n"
            + "    mapping: {rooms: {DBL: D1}}\n"
            + (reservations == null ? "" : "    reservations: " + reservations + "\n")
            + "  b:\n"
            + "    adapter: native\n"
            + "    baseUrl: http://127.0.0.1:9/\n"
            + "    credentials: {apiKey: {header: X-Api-Key, value: \"${env:KEY}\"}}\n"
            + "    mapping: {rooms: {DBL: D1}}\n"
            + (reconciliation == null ? "" : "reconciliation: " + reconciliation + "\n");
    Map<String, Object> map = new ObjectMapper(new YAMLFactory()).readValue(yaml, Map.class);
    return EngineFileConfig.fromMap(map, SECRETS);
  }

  @Test
  void aPolledChannelGetsItsSettingsAndTheRestTheirDefaults() throws Exception {
    EngineFileConfig cfg =
        parse("{mode: poll, minInterval: 30s, maxInterval: 10m, alpha: 0.25, jitter: 5%}", null);

    Map<String, PollingConfig> polling = PollingConfig.parseAll(cfg.channels());

    assertThat(polling).containsOnlyKeys("a");
    assertThat(polling.get("a"))
        .isEqualTo(
            new PollingConfig("a", Duration.ofSeconds(30), Duration.ofMinutes(10), 0.25, 1, 0.05));
    assertThat(polling.get("a").interval(1).min()).isEqualTo(Duration.ofSeconds(30));
    assertThat(PollingConfig.parseAll(parse("{mode: poll}", null).channels()).get("a"))
        .isEqualTo(
            new PollingConfig("a", Duration.ofSeconds(20), Duration.ofMinutes(5), 0.5, 1, 0.1));
    assertThat(PollingConfig.parseAll(parse(null, null).channels())).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {minInterval: 20s}                     | channels.a.reservations.mode: is missing; expected poll
          {mode: webhook}                        | channels.a.reservations.mode: expected poll, was 'webhook'
          {mode: poll, every: 1m}                | channels.a.reservations.every: unknown key; expected one of mode, minInterval, maxInterval, alpha, bookingsPerPoll, jitter
          {mode: poll, minInterval: 0s}          | channels.a.reservations.minInterval: must be positive, was 0s
          {mode: poll, minInterval: 2m, maxInterval: 1m} | channels.a.reservations.maxInterval: must not be below minInterval (PT2M)
          {mode: poll, alpha: 0}                 | channels.a.reservations.alpha: must be in (0, 1], was 0.0
          {mode: poll, jitter: 1}                | channels.a.reservations.jitter: must be in [0, 1), was 1.0
          {mode: poll, minInterval: soon}        | channels.a.reservations.minInterval:
          """)
  void badReservationsBlocksNameTheKey(String block, String message) {
    assertThatThrownBy(() -> parse(block, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message.strip());
  }

  @Test
  void verifyAfterOpenDefaultsToFiveMinutes() throws Exception {
    assertThat(parse(null, null).reconciliation().verifyAfterOpen())
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(parse(null, "{verifyAfterOpen: 90s}").reconciliation().verifyAfterOpen())
        .isEqualTo(Duration.ofSeconds(90));
    assertThatThrownBy(() -> parse(null, "{verifyAfterOpen: PT-1S}"))
        .hasMessageStartingWith("reconciliation.verifyAfterOpen: must not be negative");
  }
}
