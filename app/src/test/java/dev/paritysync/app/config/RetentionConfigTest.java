package dev.paritysync.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.config.ConfigMap;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetentionConfigTest {
  private static RetentionConfig parse(Map<String, Object> values) {
    return RetentionConfig.parse(new ConfigMap("retention", values));
  }

  @Test
  void anAbsentSectionGivesTheDocumentedDefaults() {
    RetentionConfig d = parse(Map.of());

    assertThat(d).isEqualTo(RetentionConfig.DEFAULTS);
    assertThat(d.batches()).isEqualTo(Duration.ofDays(30));
    assertThat(d.ledger()).isEqualTo(Duration.ofDays(400));
    assertThat(d.changes()).isEqualTo(Duration.ofDays(400));
    assertThat(d.webhookInbox()).isEqualTo(Duration.ofDays(30));
    assertThat(d.every()).isEqualTo(Duration.ofHours(1));
    assertThat(d.batchSize()).isEqualTo(1000);
  }

  @Test
  void readsEveryKeyInTheLayersDurationSyntax() {
    RetentionConfig r =
        parse(
            Map.of(
                "batches", "7d",
                "ledger", "P730D",
                "changes", "36h",
                "webhookInbox", "2d",
                "every", "15m",
                "batchSize", 250));

    assertThat(r)
        .isEqualTo(
            new RetentionConfig(
                Duration.ofDays(7),
                Duration.ofDays(730),
                Duration.ofHours(36),
                Duration.ofDays(2),
                Duration.ofMinutes(15),
                250));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "batches      | 12h  | retention.batches: 12h is shorter than 1d, the shortest retention",
        "ledger       | 30   | retention.ledger: ",
        "webhookInbox | 1h   | retention.webhookInbox: 1h is shorter than 1d",
        "every        | 0s   | retention.every: ",
        "batchSize    | 0    | retention.batchSize: 0 is not in 1..10000",
        "batchSize    | 10001| retention.batchSize: 10001 is not in 1..10000",
        "zzUnknown    | 1d   | retention.zzUnknown"
      })
  void aBadValueNamesItsKey(String key, String value, String message) {
    Object v = key.equals("batchSize") ? (Object) Integer.parseInt(value) : value;

    assertThatThrownBy(() -> parse(Map.of(key, v)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }
}
