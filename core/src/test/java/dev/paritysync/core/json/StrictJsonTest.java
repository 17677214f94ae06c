package dev.paritysync.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StrictJsonTest {
  final StrictJson json = new StrictJson(4, 8);

  StrictJson.Malformed fail(String body) {
    return catchThrowableOfType(
        StrictJson.Malformed.class, () -> json.read(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void readsExactDecimals() throws Exception {
    assertThat(
            json.read("{\"a\":[1.10]}".getBytes(StandardCharsets.UTF_8)).at("/a/0").decimalValue())
        .hasToString("1.10");
    assertThat(json.read(" ".getBytes(StandardCharsets.UTF_8))).isNull();
  }

  @Test
  void nestingBeyondTheLimitNamesTheLimitAndWhere() {
    StrictJson.Malformed e = fail("{\"a\":[[[[[1]]]]]}");
    assertThat(e.reason()).isEqualTo("nested more than 4 levels deep");
    assertThat(e.pointer()).startsWith("/a/0/0");
    assertThat(e.getMessage()).contains("line 1");
  }

  @Test
  void longNumbersNameTheirLength() {
    StrictJson.Malformed e = fail("{\"amount\":1234567890123}");
    assertThat(e.reason()).isEqualTo("a number of 13 characters; at most 8 are allowed");
    assertThat(e.pointer()).isEqualTo("/amount");
  }

  @Test
  void duplicateKeysAndTrailingValuesAreErrorsWithoutJavaTypes() {
    StrictJson.Malformed dup = fail("{\"a\":1,\"a\":2}");
    assertThat(dup.reason()).isEqualTo("key \"a\" appears twice in one object");
    assertThat(dup.pointer()).isEqualTo("/a");
    StrictJson.Malformed trailing = fail("{} {}");
    assertThat(trailing.reason())
        .isEqualTo("more than one JSON value: something follows the first");
    assertThat(fail("{\"a\":}").getMessage()).doesNotContain("com.fasterxml").doesNotContain("`");
  }

  @Test
  void anExponentNoDecimalCanHoldIsMalformedWhereItStands() {
    StrictJson big = new StrictJson(4, 24);
    StrictJson.Malformed e =
        catchThrowableOfType(
            StrictJson.Malformed.class,
            () -> big.read("{\"a\":[2e45678901234567945678901]}".getBytes(StandardCharsets.UTF_8)));
    assertThat(e.reason()).isEqualTo("a number whose exponent is beyond ±2147483647");
    assertThat(e.pointer()).isEqualTo("/a/0");
    assertThat(e.line()).isEqualTo(1);
  }
}
