package dev.paritysync.royalty.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriftConfigTest {

  @Test
  void emptySectionGivesTheDocumentedDefaults() {
    DriftConfig c = DriftConfig.fromMap(null);

    assertThat(c).isEqualTo(DriftConfig.defaults());
    assertThat(c.k()).isEqualTo(5);
    assertThat(c.madScale()).isEqualTo(1.4826);
    assertThat(c.trailingPeriods()).isEqualTo(6);
    assertThat(c.minPeriods()).isEqualTo(3);
    assertThat(c.freeCommercialModels()).containsExactly("freeofchargemodel");
    assertThat(c.volumeFactor()).isEqualTo(10);
    assertThat(c.volumeMinQuantity()).isEqualTo(1000);
  }

  @Test
  void givenKeysOverrideDefaults() {
    DriftConfig c =
        DriftConfig.fromMap(
            Map.of(
                "revenuePerStream", Map.of("k", 3, "trailingPeriods", 12),
                "zero", Map.of("freeUseTypes", List.of("Promotion")),
                "volume", Map.of("factor", "20", "minQuantity", 50)));

    assertThat(c.k()).isEqualTo(3);
    assertThat(c.trailingPeriods()).isEqualTo(12);
    assertThat(c.minPeriods()).isEqualTo(3);
    assertThat(c.freeUseTypes()).containsExactly("promotion");
    assertThat(c.volumeFactor()).isEqualTo(20);
    assertThat(c.volumeMinQuantity()).isEqualTo(50);
  }

  @Test
  void errorsNameTheKey() {
    assertThatThrownBy(() -> DriftConfig.fromMap(Map.of("volume", Map.of("factor", 0.5))))
        .hasMessage("drift.volume.factor: must be above 1, was 0.5");
    assertThatThrownBy(() -> DriftConfig.fromMap(Map.of("revenuePerStream", Map.of("kk", 1))))
        .hasMessageStartingWith("drift.revenuePerStream.kk: unknown key");
    assertThatThrownBy(() -> DriftConfig.fromMap(Map.of("bands", 1)))
        .hasMessageStartingWith("drift.bands: unknown key");
    assertThatThrownBy(
            () -> DriftConfig.fromMap(Map.of("revenuePerStream", Map.of("minPeriods", 7))))
        .hasMessage("drift.revenuePerStream.minPeriods: must be 1 to trailingPeriods (6), was 7");
    assertThatThrownBy(() -> DriftConfig.fromMap(Map.of("zero", Map.of("freeUseTypes", "x"))))
        .hasMessage("drift.zero.freeUseTypes: expected a list, got a string");
  }
}
