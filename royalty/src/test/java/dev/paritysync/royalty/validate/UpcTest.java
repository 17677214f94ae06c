package dev.paritysync.royalty.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpcTest {

  @ParameterizedTest
  @CsvSource({
    "036000291452,00036000291452", // UPC-A, 12 digits
    "4006381333931,04006381333931", // EAN-13
    "0036000291452,00036000291452", // the same UPC-A as EAN-13
    "10036000291459,10036000291459", // GTIN-14
  })
  void acceptsValidCodesPaddedTo14(String raw, String gtin) {
    assertThat(Upc.normalise(raw, new ArrayList<>())).isEqualTo(gtin);
    assertThat(Upc.isValid(raw)).isTrue();
  }

  @Test
  void twelveAndThirteenDigitFormsOfOneProductCompareEqual() {
    assertThat(Upc.normalise("036000291452", new ArrayList<>()))
        .isEqualTo(Upc.normalise("0036000291452", new ArrayList<>()));
  }

  @Test
  void removesSeparatorsAndSaysSo() {
    List<String> notes = new ArrayList<>();
    assertThat(Upc.normalise("0 36000 29145 2", notes)).isEqualTo("00036000291452");
    assertThat(notes).containsExactly("upc: removed spaces or hyphens");
  }

  @Test
  void missingIsNotAnError() {
    assertThat(Upc.normalise(null, new ArrayList<>())).isNull();
    assertThat(Upc.normalise(" ", new ArrayList<>())).isNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "036000291453|UPC '036000291453' has check digit 3; GS1 mod-10 gives 2",
        "4006381333932|UPC '4006381333932' has check digit 2; GS1 mod-10 gives 1",
        "03600029145A|UPC '03600029145A' has a character that is not a digit",
        "03600029145|UPC '03600029145' has 11 digits; expected 12 to 14",
        "100360002914590|UPC '100360002914590' has 15 digits; expected 12 to 14",
      })
  void rejectsNamingTheValue(String raw, String message) {
    assertThatThrownBy(() -> Upc.normalise(raw, new ArrayList<>()))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage(message);
  }
}
