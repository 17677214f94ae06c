package dev.paritysync.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.core.config.Window;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimConfigTest {

  @Test
  void readsAYamlShapedMap() {
    SimConfig c =
        SimConfig.fromMap(
            Map.of(
                "seed",
                9,
                "maxUpdatesPerRequest",
                50,
                "quotas",
                Map.of("ari", List.of("10/1m", "100/1h"), "read", List.of("5/s")),
                "retryAfterStyle",
                "http-date",
                "p500",
                0.1,
                "slowDelay",
                "250ms",
                "outages",
                List.of(Map.of("from", "10s", "to", "PT1M")),
                "conflictCells",
                List.of("P1/DBL/BAR/2026-01-03"),
                "rateFloor",
                "40.00",
                "oauth",
                Map.of("clientId", "a", "clientSecret", "b", "tokenTtl", "1h")));

    assertThat(c.seed()).isEqualTo(9);
    assertThat(c.maxUpdatesPerRequest()).isEqualTo(50);
    assertThat(c.quotas()).containsEntry("read", List.of("5/s"));
    assertThat(c.retryAfterStyle()).isEqualTo(SimConfig.RetryAfterStyle.HTTP_DATE);
    assertThat(c.p500()).isEqualTo(0.1);
    assertThat(c.slowDelay()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.outages())
        .containsExactly(new Window(Duration.ofSeconds(10), Duration.ofMinutes(1)));
    assertThat(c.rateFloor()).isEqualTo(new BigDecimal("40.00"));
    assertThat(c.oauth().tokenTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(c.oauth().toString()).doesNotContain("b,").contains("[redacted]");
  }

  @Test
  void startsFromAPreset() {
    SimConfig c = SimConfig.fromMap(Map.of("preset", "flaky", "seed", 3, "pSlow", 0));
    assertThat(c.seed()).isEqualTo(3);
    assertThat(c.p500()).isEqualTo(SimConfig.flaky(3).p500());
    assertThat(c.pSlow()).isZero();
  }

  @Test
  void readsLatencyAndRejectsANegativeOne() {
    assertThat(SimConfig.fromMap(Map.of("latency", "20ms")).latency())
        .isEqualTo(Duration.ofMillis(20));
    assertThat(SimConfig.healthy(1).latency()).isZero();
    assertThatThrownBy(() -> SimConfig.newBuilder().withLatency(Duration.ofMillis(-1)).build())
        .hasMessage("latency must not be negative, got PT-0.001S");
  }

  @Test
  void errorsNameTheKey() {
    assertThatThrownBy(() -> SimConfig.fromMap(Map.of("p5OO", 0.1)))
        .hasMessageStartingWith("p5OO: unknown key; expected one of preset, seed, ");
    assertThatThrownBy(() -> SimConfig.fromMap(Map.of("quotas", Map.of("ari", List.of("ten/m")))))
        .hasMessage("quotas.ari[0]: expected N/period like 10/1m, got 'ten/m'");
    assertThatThrownBy(() -> SimConfig.fromMap(Map.of("quotas", Map.of("write", List.of("1/s")))))
        .hasMessage(
            "quotas: unknown endpoint kind 'write'"
                + " (known: ari, read; channex: availability, restrictions)");
    assertThatThrownBy(() -> SimConfig.fromMap(Map.of("slowDelay", "soon")))
        .hasMessage(
            "slowDelay: 'soon' is not a duration (examples: 250ms, 1s, 15m, 72h, 2d, PT30S)");
    assertThatThrownBy(() -> SimConfig.fromMap(Map.of("p503", 1.5)))
        .hasMessage("p503: must be between 0 and 1, was 1.5");
    assertThatThrownBy(() -> SimConfig.fromMap(Map.of("pSlow", -0.1)))
        .hasMessage("pSlow: must be between 0 and 1, was -0.1");
    // a section of a larger file keeps its path in the errors
    assertThatThrownBy(() -> SimConfig.from(new ConfigMap("sims.a", Map.of("p500", "2"))))
        .hasMessage("sims.a.p500: must be between 0 and 1, was 2.0");
    assertThatThrownBy(() -> SimConfig.fromMap(Map.of("p500", 0.6, "p502", 0.6)))
        .hasMessage("fault probabilities must sum to at most 1, got 1.2");
    assertThatThrownBy(
            () -> SimConfig.fromMap(Map.of("outages", List.of(Map.of("from", "1m", "to", "10s")))))
        .hasMessage("outages[0]: must satisfy 0 <= from < to, got [1m, 10s)");
    assertThatThrownBy(() -> SimConfig.fromMap(Map.of("conflictCells", List.of("P1/DBL/BAR"))))
        .hasMessage("conflictCells[0]: expected property/room/ratePlan/date, got 'P1/DBL/BAR'");
    assertThatThrownBy(() -> SimConfig.fromMap(Map.of("oauth", Map.of("clientId", "a"))))
        .hasMessage("oauth.clientSecret: is required");
    assertThatThrownBy(() -> SimConfig.fromMap(Map.of("port", "eighty")))
        .hasMessage("port: 'eighty' is not a whole number");
    assertThatThrownBy(() -> SimConfig.fromMap(Map.of("retryAfterStyle", "minutes")))
        .hasMessage("retryAfterStyle: 'minutes' is not one of seconds, http-date, absent");
  }

  @Test
  void buildCopiesSoABuilderCanBeReused() {
    SimConfig.Builder b = SimConfig.newBuilder().withConflictCell("P/R/B/2026-01-01");
    SimConfig first = b.build();
    b.withConflictCell("P/R/B/2026-01-02");
    assertThat(first.conflictCells()).hasSize(1);
    assertThat(b.build().conflictCells()).hasSize(2);
  }
}
