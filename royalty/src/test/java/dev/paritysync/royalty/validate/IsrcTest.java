package dev.paritysync.royalty.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IsrcTest {

  @ParameterizedTest
  @ValueSource(strings = {"USSM19803037", "QMDA71418999", "QZES71800001", "ZZOPM1900001"})
  void acceptsCanonicalCodesIncludingNonCountryPrefixes(String code) {
    List<String> notes = new ArrayList<>();
    assertThat(Isrc.normalise(code, notes)).isEqualTo(code);
    assertThat(notes).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "us-sm1-98-03037|USSM19803037|isrc: removed hyphens;isrc: upper-cased",
        "US SM1 98 03037|USSM19803037|isrc: removed spaces",
        "ISRC USSM19803037|USSM19803037|isrc: removed spaces;isrc: removed ISRC prefix",
        "ISRC:USSM19803037|USSM19803037|isrc: removed ISRC prefix",
        "isrcUS-SM1-98-03037|USSM19803037|"
            + "isrc: removed hyphens;isrc: upper-cased;isrc: removed ISRC prefix",
      })
  void normalisesAndRecordsWhatItChanged(String raw, String expected, String notes) {
    List<String> recorded = new ArrayList<>();
    assertThat(Isrc.normalise(raw, recorded)).isEqualTo(expected);
    assertThat(recorded).containsExactly(notes.split(";"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "USSM1980303", // 11
        "USSM198030377", // 13
        "1SSM19803037", // digit in prefix
        "USSM1A803037", // letter in year
        "USSM198O3037", // letter O in designation
        "US_SM19803037",
      })
  void rejectsMalformedCodesNamingTheValue(String raw) {
    assertThatThrownBy(() -> Isrc.normalise(raw, new ArrayList<>()))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("'" + raw + "'")
        .hasMessageContaining("ISO 3901");
    assertThat(Isrc.isValid(raw)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  "})
  void missingIsAnError(String raw) {
    assertThatThrownBy(() -> Isrc.normalise(raw, new ArrayList<>())).hasMessage("ISRC is missing");
  }

  @org.junit.jupiter.api.Test
  void aCodeBeginningWithIsrcIsNotStripped() {
    // IS (Iceland) + registrant RC1: 12 characters, so "ISRC" here is part of the code.
    assertThat(Isrc.normalise("ISRC11500001", new ArrayList<>())).isEqualTo("ISRC11500001");
  }
}
