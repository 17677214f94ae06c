package dev.paritysync.core.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.config.ConfigMap;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ClassificationTableTest {
  private static final ClassificationTable DEFAULTS = ClassificationTable.defaults();

  static Stream<Arguments> defaultStatuses() {
    return Stream.of(
        Arguments.of(100, "DEAD_LETTER(unexpected_status)"),
        Arguments.of(199, "DEAD_LETTER(unexpected_status)"),
        Arguments.of(200, "ACK"),
        Arguments.of(201, "ACK"),
        Arguments.of(204, "ACK"),
        Arguments.of(299, "ACK"),
        Arguments.of(300, "DEAD_LETTER(unexpected_status)"),
        Arguments.of(304, "DEAD_LETTER(unexpected_status)"),
        Arguments.of(399, "DEAD_LETTER(unexpected_status)"),
        Arguments.of(400, "DEAD_LETTER(validation)"),
        Arguments.of(401, "REFRESH_AUTH"),
        Arguments.of(402, "DEAD_LETTER(client_error)"),
        Arguments.of(403, "DEAD_LETTER(forbidden)"),
        Arguments.of(404, "DEAD_LETTER(mapping)"),
        Arguments.of(405, "DEAD_LETTER(client_error)"),
        Arguments.of(408, "RETRY"),
        Arguments.of(409, "RECONCILE"),
        Arguments.of(410, "DEAD_LETTER(mapping)"),
        Arguments.of(418, "DEAD_LETTER(client_error)"),
        Arguments.of(422, "DEAD_LETTER(validation)"),
        Arguments.of(425, "RETRY"),
        Arguments.of(429, "RETRY_AFTER"),
        Arguments.of(499, "DEAD_LETTER(client_error)"),
        Arguments.of(500, "RETRY"),
        Arguments.of(501, "RETRY"),
        Arguments.of(502, "RETRY"),
        Arguments.of(503, "RETRY_AFTER"),
        Arguments.of(504, "RETRY"),
        Arguments.of(599, "RETRY"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("defaultStatuses")
  void defaultStatusRows(int status, String expected) {
    assertThat(DEFAULTS.classify(Outcome.response(status))).hasToString(expected);
  }

  static Stream<Arguments> defaultFailures() {
    return Stream.of(
        Arguments.of(FailureKind.CONNECT_REFUSED, "RETRY"),
        Arguments.of(FailureKind.CONNECTION_RESET, "RETRY"),
        Arguments.of(FailureKind.TIMEOUT, "RETRY"),
        Arguments.of(FailureKind.TLS, "DEAD_LETTER(tls)"),
        Arguments.of(FailureKind.RESPONSE_TOO_LARGE, "DEAD_LETTER(response_too_large)"),
        Arguments.of(FailureKind.OTHER_IO, "RETRY"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("defaultFailures")
  void defaultFailureRows(FailureKind kind, String expected) {
    assertThat(DEFAULTS.classify(Outcome.failure(kind))).hasToString(expected);
  }

  @Test
  void defaultFailureRowsCoverEveryKind() {
    assertThat(defaultFailures().map(a -> a.get()[0]))
        .containsExactlyInAnyOrder((Object[]) FailureKind.values());
  }

  @ParameterizedTest
  @EnumSource(FailureKind.class)
  void everyStatusAndFailureHasExactlyOneAction(FailureKind kind) {
    assertThat(DEFAULTS.classify(Outcome.failure(kind))).isNotNull();
    for (int s = 100; s <= 599; s++) {
      assertThat(DEFAULTS.classify(Outcome.response(s))).as("status %d", s).isNotNull();
    }
  }

  @ParameterizedTest(name = "{0} with an unknown code -> {1}")
  @MethodSource("unknownCodes")
  void unknownErrorCode(int status, String expected) {
    assertThat(DEFAULTS.classify(Outcome.response(status).withErrorCode("ERR_42")))
        .hasToString(expected);
  }

  static Stream<Arguments> unknownCodes() {
    return Stream.of(
        Arguments.of(200, "DEAD_LETTER(channel_error)"),
        Arguments.of(299, "DEAD_LETTER(channel_error)"),
        // outside 2xx an unknown code falls through to the status rows
        Arguments.of(400, "DEAD_LETTER(validation)"),
        Arguments.of(503, "RETRY_AFTER"),
        Arguments.of(302, "DEAD_LETTER(unexpected_status)"));
  }

  @Test
  void blankErrorCodeIsIgnored() {
    assertThat(DEFAULTS.classify(Outcome.response(200).withErrorCode(" "))).isEqualTo(Action.ACK);
  }

  @Test
  void namedErrorCodeBeatsStatusAndWildcard() {
    ClassificationTable t =
        DEFAULTS.toBuilder().onErrorCode("RATE_LIMITED", Action.RETRY_AFTER).build();
    assertThat(t.classify(Outcome.response(200).withErrorCode("RATE_LIMITED")))
        .isEqualTo(Action.RETRY_AFTER);
    assertThat(t.classify(Outcome.response(400).withErrorCode("RATE_LIMITED")))
        .isEqualTo(Action.RETRY_AFTER);
    assertThat(t.classify(Outcome.response(200).withErrorCode("OTHER")))
        .hasToString("DEAD_LETTER(channel_error)");
    assertThat(t.classify(Outcome.response(200))).isEqualTo(Action.ACK);
  }

  @Test
  void errorCodeRestrictedToNarrowerRangeWins() {
    ClassificationTable t =
        DEFAULTS.toBuilder()
            .onErrorCode("DUP", 200, 299, Action.ACK)
            .onErrorCode("DUP", Action.RECONCILE) // unrestricted, added later: still less specific
            .onErrorCode("DUP", 409, 409, Action.deadLetter("dup"))
            .build();
    assertThat(t.classify(Outcome.response(200).withErrorCode("DUP"))).isEqualTo(Action.ACK);
    assertThat(t.classify(Outcome.response(409).withErrorCode("DUP")))
        .hasToString("DEAD_LETTER(dup)");
    assertThat(t.classify(Outcome.response(500).withErrorCode("DUP"))).isEqualTo(Action.RECONCILE);
  }

  @Test
  void exactStatusBeatsNarrowerRangeAddedLater() {
    ClassificationTable t =
        DEFAULTS.toBuilder().onStatusRange(420, 430, Action.deadLetter("custom")).build();
    assertThat(t.classify(Outcome.response(429))).isEqualTo(Action.RETRY_AFTER);
    assertThat(t.classify(Outcome.response(421))).hasToString("DEAD_LETTER(custom)");
    assertThat(t.classify(Outcome.response(419))).hasToString("DEAD_LETTER(client_error)");
  }

  @Test
  void laterRowOfEqualSpecificityOverrides() {
    ClassificationTable t =
        DEFAULTS.toBuilder()
            .onStatus(409, Action.deadLetter("conflict"))
            .onStatusRange(500, 599, Action.deadLetter("server"))
            .onFailure(FailureKind.TLS, Action.RETRY)
            .onErrorCode("*", 200, 299, Action.ACK)
            .build();
    assertThat(t.classify(Outcome.response(409))).hasToString("DEAD_LETTER(conflict)");
    assertThat(t.classify(Outcome.response(599))).hasToString("DEAD_LETTER(server)");
    assertThat(t.classify(Outcome.response(503))).isEqualTo(Action.RETRY_AFTER);
    assertThat(t.classify(Outcome.failure(FailureKind.TLS))).isEqualTo(Action.RETRY);
    assertThat(t.classify(Outcome.response(200).withErrorCode("WARN"))).isEqualTo(Action.ACK);
    // the base is untouched
    assertThat(DEFAULTS.classify(Outcome.response(409))).isEqualTo(Action.RECONCILE);
  }

  @Test
  void incompleteTableIsRefusedNamingTheGaps() {
    ClassificationTable.Builder b =
        ClassificationTable.builder()
            .onStatusRange(100, 399, Action.ACK)
            .onStatusRange(401, 599, Action.RETRY);
    for (FailureKind k : FailureKind.values()) {
      if (k != FailureKind.TLS) {
        b.onFailure(k, Action.RETRY);
      }
    }
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("classification table has no rule for status 400, failure TLS;");
    assertThatThrownBy(() -> ClassificationTable.builder().build())
        .hasMessageStartingWith(
            "classification table has no rule for status 100-599, failure CONNECT_REFUSED,");
  }

  @Test
  void builderRejectsStatusOutOfRange() {
    assertThatThrownBy(() -> ClassificationTable.builder().onStatus(600, Action.ACK))
        .hasMessage("HTTP status must be 100-599, was 600");
    assertThatThrownBy(() -> ClassificationTable.builder().onStatusRange(500, 400, Action.ACK))
        .hasMessage("status range must lie within 100-599 with from <= to, was 500-400");
  }

  @Test
  void rulesAreReadable() {
    assertThat(DEFAULTS.rules().stream().map(Object::toString))
        .contains(
            "status 4xx -> DEAD_LETTER(client_error)",
            "status 429 -> RETRY_AFTER",
            "failure TLS -> DEAD_LETTER(tls)",
            "errorCode * in 2xx -> DEAD_LETTER(channel_error)");
    assertThat(new ClassificationTable.Rule("E1", 400, 450, null, Action.RETRY))
        .hasToString("errorCode E1 in 400-450 -> RETRY");
    assertThat(new ClassificationTable.Rule("E2", 0, 0, null, Action.RECONCILE))
        .hasToString("errorCode E2 -> RECONCILE");
    assertThat(new ClassificationTable.Rule(null, 404, 404, null, Action.deadLetter("mapping")))
        .hasToString("status 404 -> DEAD_LETTER(mapping)");
  }

  @Test
  void fromConfigOverridesTheBase() {
    ClassificationTable t =
        ClassificationTable.fromConfig(
            rows(
                Map.of("status", 409, "action", "DEAD_LETTER(conflict)"),
                Map.of("status", "5xx", "action", "retry_after"),
                Map.of("status", "520-530", "action", "DEAD_LETTER(cloudflare)"),
                Map.of("status", "418", "action", "ACK"),
                Map.of("errorCode", "ERR_RATE", "action", "RETRY_AFTER"),
                Map.of("errorCode", "ERR_DUP", "status", "2xx", "action", "ACK"),
                Map.of("failure", "tls", "action", "RETRY")),
            DEFAULTS);
    assertThat(t.classify(Outcome.response(409))).hasToString("DEAD_LETTER(conflict)");
    assertThat(t.classify(Outcome.response(599))).isEqualTo(Action.RETRY_AFTER);
    assertThat(t.classify(Outcome.response(500))).isEqualTo(Action.RETRY); // exact default row
    assertThat(t.classify(Outcome.response(525))).hasToString("DEAD_LETTER(cloudflare)");
    assertThat(t.classify(Outcome.response(418))).isEqualTo(Action.ACK);
    assertThat(t.classify(Outcome.response(200).withErrorCode("ERR_RATE")))
        .isEqualTo(Action.RETRY_AFTER);
    assertThat(t.classify(Outcome.response(200).withErrorCode("ERR_DUP"))).isEqualTo(Action.ACK);
    assertThat(t.classify(Outcome.response(400).withErrorCode("ERR_DUP")))
        .hasToString("DEAD_LETTER(validation)");
    assertThat(t.classify(Outcome.failure(FailureKind.TLS))).isEqualTo(Action.RETRY);
    assertThat(t.rules()).hasSize(DEFAULTS.rules().size() + 7);
  }

  static Stream<Arguments> badRows() {
    return Stream.of(
        Arguments.of(Map.of("status", 409), "resilience.classification[1].action: is required"),
        Arguments.of(
            Map.of("status", 409, "action", "SHRUG"),
            "resilience.classification[1].action: unknown action 'SHRUG': expected ACK, RETRY,"
                + " RETRY_AFTER, REFRESH_AUTH, RECONCILE or DEAD_LETTER(reason)"),
        Arguments.of(
            Map.of("status", "6xx", "action", "ACK"),
            "resilience.classification[1].status: '6xx' is not a status (429), a range (500-599)"
                + " or a class (4xx)"),
        Arguments.of(
            Map.of("status", 700, "action", "ACK"),
            "resilience.classification[1].status: '700' must lie within 100-599 with from <= to"),
        Arguments.of(
            Map.of("status", "510-500", "action", "ACK"),
            "resilience.classification[1].status: '510-500' must lie within 100-599 with from <="
                + " to"),
        Arguments.of(
            Map.of("status", 4.5, "action", "ACK"),
            "resilience.classification[1].status: '4.5' is not a status (429), a range (500-599)"
                + " or a class (4xx)"),
        Arguments.of(
            Map.of("failure", "dns", "action", "RETRY"),
            "resilience.classification[1].failure: 'dns' is not one of connect-refused, connection-reset, timeout,"
                + " tls, response-too-large, other-io"),
        Arguments.of(
            Map.of("failure", "TLS", "status", 500, "action", "RETRY"),
            "resilience.classification[1].failure: cannot be combined with status"),
        Arguments.of(
            Map.of("failure", "TLS", "errorCode", "X", "action", "RETRY"),
            "resilience.classification[1].failure: cannot be combined with errorCode"),
        Arguments.of(
            Map.of("errorCode", 17, "action", "RETRY"),
            "resilience.classification[1].errorCode: expected a string, got an integer"),
        Arguments.of(
            Map.of("action", "RETRY"),
            "resilience.classification[1]: needs one of status, errorCode or failure"),
        Arguments.of(
            Map.of("stauts", 500, "action", "RETRY"),
            "resilience.classification[1].stauts: unknown key; expected one of status, errorCode, failure, action"));
  }

  @ParameterizedTest
  @MethodSource("badRows")
  void fromConfigNamesTheBadRow(Map<String, Object> bad, String message) {
    List<ConfigMap> rows = rows(Map.of("status", 418, "action", "ACK"), bad);
    assertThatThrownBy(() -> ClassificationTable.fromConfig(rows, DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void fromConfigRejectsNullRow() {
    List<Object> rows = new java.util.ArrayList<>();
    rows.add(null);
    assertThatThrownBy(() -> ClassificationTable.fromConfig(rows(rows.toArray()), DEFAULTS))
        .hasMessage("resilience.classification[0]: expected a map, got nothing");
  }

  @Test
  void fromConfigWithNoRowsIsTheBase() {
    ClassificationTable t = ClassificationTable.fromConfig(List.of(), DEFAULTS);
    assertThat(t.rules()).isEqualTo(DEFAULTS.rules());
    Map<String, Object> row = new HashMap<>();
    row.put("status", " 502 ");
    row.put("action", "dead_letter(gateway)");
    assertThat(ClassificationTable.fromConfig(rows(row), DEFAULTS).classify(Outcome.response(502)))
        .hasToString("DEAD_LETTER(gateway)");
  }

  /**
   * {@code rows} as the rows of {@code resilience.classification}, as a configuration file gives
   * them.
   */
  private static List<ConfigMap> rows(Object... rows) {
    return new ConfigMap("resilience", Map.of("classification", Arrays.asList(rows)))
        .maps("classification");
  }
}
