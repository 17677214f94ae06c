package dev.paritysync.royalty.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TerritoriesTest {
  private final Territories territories =
      Territories.withAliases(Map.of("WW", "Worldwide", "UK", "GB"));

  @ParameterizedTest
  @ValueSource(strings = {"US", "IS", "AU", "XK", "Worldwide"})
  void acceptsIsoCodesKosovoAndWorldwide(String code) {
    List<String> notes = new ArrayList<>();
    assertThat(territories.normalise(code, notes)).isEqualTo(code);
    assertThat(notes).isEmpty();
  }

  @Test
  void appliesAliasesAndRecordsThem() {
    List<String> notes = new ArrayList<>();
    assertThat(territories.normalise("ww", notes)).isEqualTo("Worldwide");
    assertThat(territories.normalise("UK", notes)).isEqualTo("GB");
    assertThat(notes)
        .containsExactly("territory: alias ww -> Worldwide", "territory: alias UK -> GB");
  }

  @Test
  void upperCasesAndSaysSo() {
    List<String> notes = new ArrayList<>();
    assertThat(territories.normalise("de", notes)).isEqualTo("DE");
    assertThat(notes).containsExactly("territory: de -> DE");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ZZ", "UK", "USA", "EU"})
  void rejectsUnknownCodesWithoutAnAlias(String code) {
    Territories plain = Territories.withAliases(Map.of());
    assertThatThrownBy(() -> plain.normalise(code, new ArrayList<>()))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageStartingWith("territory '" + code + "' is not ISO 3166-1 alpha-2");
  }

  @Test
  void missingIsAnError() {
    assertThatThrownBy(() -> territories.normalise("", new ArrayList<>()))
        .hasMessage("territory is missing");
  }

  @Test
  void anAliasToNowhereFailsAtConfiguration() {
    assertThatThrownBy(() -> Territories.withAliases(Map.of("EU", "Europe")))
        .hasMessage("territory alias 'EU' points to unknown territory 'Europe'");
  }
}
