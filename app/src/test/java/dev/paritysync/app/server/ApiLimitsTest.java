package dev.paritysync.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.config.ConfigMap;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiLimitsTest {
  @Test
  void everyKeyIsOptionalAndOverridable() {
    assertThat(ApiLimits.parse(new ConfigMap("server", Map.of()))).isEqualTo(ApiLimits.DEFAULTS);
    ApiLimits l =
        ApiLimits.parse(
            new ConfigMap(
                "server",
                Map.of(
                    "maxJsonDepth", 8,
                    "maxNumberLength", 32,
                    "maxRate", "2500.50",
                    "maxCellsPerChange", 10,
                    "maxCellsPerRequest", 100,
                    "maxErrors", 5,
                    "maxHeaderBytes", 4096,
                    "maxStayNights", 30)));
    assertThat(l).isEqualTo(new ApiLimits(8, 32, new BigDecimal("2500.50"), 10, 100, 5, 4096, 30));
  }

  @Test
  void badValuesNameTheirKey() {
    assertThatThrownBy(() -> ApiLimits.parse(new ConfigMap("server", Map.of("maxRate", "1e12"))))
        .hasMessage("server.maxRate: must be above 0 and at most 1000000000, was 1000000000000");
    assertThatThrownBy(() -> ApiLimits.parse(new ConfigMap("server", Map.of("maxRate", "lots"))))
        .hasMessage("server.maxRate: 'lots' is not a number");
    assertThatThrownBy(() -> ApiLimits.parse(new ConfigMap("server", Map.of("maxErrors", 0))))
        .hasMessage("server.maxErrors: must be at least 1, was 0");
  }
}
