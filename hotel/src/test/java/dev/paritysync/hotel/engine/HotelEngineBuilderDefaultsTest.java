package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The engine's defaults are the documented ones (docs/running.md, the {@code engine} section). */
class HotelEngineBuilderDefaultsTest {
  @Test
  void anEngineBuiltWithoutSettingsUsesTheDocumentedDefaults() {
    HotelEngineBuilder b = HotelEngine.builder();

    assertThat(b.lease)
        .isEqualTo(Duration.ofSeconds(30))
        .isSameAs(HotelEngineBuilder.DEFAULT_LEASE);
    assertThat(b.tick).isEqualTo(Duration.ofMillis(50));
    assertThat(b.owner).isEqualTo("paritysync");
    assertThat(b.seed).isEqualTo(1);
  }
}
