package dev.paritysync.core.headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WaitCeilingTest {

  @Test
  void defaultIsFifteenMinutes() {
    assertThat(WaitCeiling.defaults().max()).isEqualTo(Duration.ofMinutes(15));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "PT0S, true",
    "PT1S, true",
    "PT14M59.999999999S, true",
    "PT15M, true", // at the ceiling
    "PT15M0.000000001S, false",
    "PT15M1S, false",
    "PT1H, false",
    "PT277777H46M40S, false" // 10^9 s, the longest wait a header can give
  })
  void defaultCeiling(String requested, boolean allowed) {
    assertThat(WaitCeiling.defaults().allows(Duration.parse(requested))).isEqualTo(allowed);
  }

  @Test
  void customCeiling() {
    WaitCeiling ceiling = new WaitCeiling(Duration.ofSeconds(30));

    assertThat(ceiling.allows(Duration.ofSeconds(29))).isTrue();
    assertThat(ceiling.allows(Duration.ofSeconds(30))).isTrue();
    assertThat(ceiling.allows(Duration.ofSeconds(31))).isFalse();
  }

  @Test
  void zeroCeilingAllowsOnlyNoWait() {
    WaitCeiling ceiling = new WaitCeiling(Duration.ZERO);

    assertThat(ceiling.allows(Duration.ZERO)).isTrue();
    assertThat(ceiling.allows(Duration.ofNanos(1))).isFalse();
  }

  @Test
  void negativeCeilingIsRejectedNamingTheSetting() {
    assertThatThrownBy(() -> new WaitCeiling(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("wait ceiling max must not be negative, was PT-1S");
    assertThatThrownBy(() -> new WaitCeiling(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("max");
  }
}
