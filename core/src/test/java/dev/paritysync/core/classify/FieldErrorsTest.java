package dev.paritysync.core.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class FieldErrorsTest {

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void problemDetailsWithPointers() {
    String body =
        """
        {"type":"https://example.net/validation-error","title":"Your request is not valid.",
         "errors":[{"detail":"must be a positive integer","pointer":"#/age"},
                   {"detail":"must be 'green', 'red' or 'blue'","pointer":"#/profile/color"},
                   {"detail":"too low","pointer":"/rates/2/amount"}]}
        """;
    assertThat(FieldErrors.parse(json(body), "application/problem+json"))
        .containsExactly(
            new FieldError("age", "must be a positive integer"),
            new FieldError("profile.color", "must be 'green', 'red' or 'blue'"),
            new FieldError("rates[2].amount", "too low"));
  }

  @Test
  void problemDetailsWithInvalidParams() {
    String body =
        """
        {"type":"https://example.net/validation-error","title":"Your request parameters didn't validate.",
         "invalid-params":[{"name":"age","reason":"must be a positive integer"},
                           {"name":"color","reason":"must be 'green', 'red' or 'blue'"}]}
        """;
    assertThat(FieldErrors.parse(json(body), "application/problem+json; charset=utf-8"))
        .containsExactly(
            new FieldError("age", "must be a positive integer"),
            new FieldError("color", "must be 'green', 'red' or 'blue'"));
  }

  @Test
  void errorsArrayOfFieldAndMessage() {
    String body =
        """
        {"errors":[{"field":"rates[0].amount","message":"must be > 0"},
                   {"path":"dates.from","message":"is in the past"},
                   {"name":"currency","reason":"unknown"},
                   {"message":"request rejected"},
                   {"field":"ignored, no message"},
                   "not an object"]}
        """;
    assertThat(FieldErrors.parse(json(body), "application/json"))
        .containsExactly(
            new FieldError("rates[0].amount", "must be > 0"),
            new FieldError("dates.from", "is in the past"),
            new FieldError("currency", "unknown"),
            new FieldError("", "request rejected"));
  }

  @Test
  void jsonApiSourcePointer() {
    String body =
        "{\"errors\":[{\"detail\":\"blank\",\"source\":{\"pointer\":\"/data/attributes/name\"}}]}";
    assertThat(FieldErrors.parse(json(body), null))
        .containsExactly(new FieldError("data.attributes.name", "blank"));
  }

  @Test
  void errorsObjectOfFieldToMessages() {
    String body =
        """
        {"message":"The given data was invalid.",
         "errors":{"rate":["must be a number","must be positive"],"room_code":"unknown", "n": 3}}
        """;
    assertThat(FieldErrors.parse(json(body), "application/json"))
        .containsExactly(
            new FieldError("rate", "must be a number"),
            new FieldError("rate", "must be positive"),
            new FieldError("room_code", "unknown"));
  }

  @Test
  void pointerEscapes() {
    assertThat(FieldErrors.normalise("/a~1b/0/c~0d")).isEqualTo("a/b[0].c~d");
    assertThat(FieldErrors.normalise("rates[1]")).isEqualTo("rates[1]");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "{\"errors\":",
        "[1,2,3]",
        "\"errors\"",
        "{\"errors\": 5}",
        "{\"errors\": null}",
        "{\"error\": \"invalid_grant\"}",
        "<?xml version=\"1.0\"?><errors><error field=\"x\">bad</error></errors>"
      })
  void garbageYieldsEmpty(String body) {
    assertThat(FieldErrors.parse(json(body), "application/json")).isEmpty();
  }

  @ParameterizedTest
  @NullSource
  void nullBodyYieldsEmpty(byte[] body) {
    assertThat(FieldErrors.parse(body, "application/json")).isEmpty();
  }

  @Test
  void nonJsonContentTypeYieldsEmpty() {
    byte[] body = json("{\"errors\":[{\"field\":\"a\",\"message\":\"b\"}]}");
    assertThat(FieldErrors.parse(body, "text/xml")).isEmpty();
    assertThat(FieldErrors.parse(body, "text/html; charset=utf-8")).isEmpty();
    assertThat(FieldErrors.parse(body, "application/vnd.api+json")).hasSize(1);
  }
}
