package dev.paritysync.hotel.ota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.classify.Action;
import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.http.Headers;
import dev.paritysync.core.http.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OtaResponseDecoderTest {
  static final String NS = "xmlns=\"http://www.opentravel.org/OTA/2003/05\"";
  static final String SUCCESS =
      "<OTA_HotelAvailNotifRS "
          + NS
          + " EchoToken=\"k/A1\" Version=\"3.000\"><Success/>"
          + "</OTA_HotelAvailNotifRS>";
  static final String SUCCESS_WITH_WARNINGS =
      "<OTA_HotelRateAmountNotifRS "
          + NS
          + " Version=\"3.000\"><Success/><Warnings>"
          + "<Warning Type=\"3\" Code=\"249\" RecordID=\"RP-BB\">rate ignored</Warning>"
          + "</Warnings></OTA_HotelRateAmountNotifRS>";

  final OtaErrorCodes codes = OtaErrorCodes.defaults();
  final OtaResponseDecoder decoder = new OtaResponseDecoder(codes);

  static String errors(String... errors) {
    StringBuilder b =
        new StringBuilder("<OTA_HotelAvailNotifRS " + NS + " Version=\"3.000\"><Errors>");
    for (String e : errors) {
      b.append(e);
    }
    return b.append("</Errors></OTA_HotelAvailNotifRS>").toString();
  }

  static String error(String type, String code) {
    return "<Error Type=\""
        + type
        + "\""
        + (code == null ? "" : " Code=\"" + code + "\"")
        + " ShortText=\"short\">details</Error>";
  }

  /** Bodies the schema test validates, so these tests decode what a channel may really send. */
  static List<String> schemaValidBodies() {
    return List.of(
        SUCCESS,
        SUCCESS_WITH_WARNINGS,
        errors(error("3", "402"), error("10", null)),
        errors(
            "<Error Type=\"3\" Code=\"249\" ShortText=\"Invalid rate code\" RecordID=\"RP-XX\">"
                + "RatePlanCode RP-XX is unknown</Error>"));
  }

  Outcome decode(int status, String body) {
    return decoder.decode(
        new Response(
            status,
            Headers.empty(),
            body.getBytes(StandardCharsets.UTF_8),
            false,
            Duration.ofMillis(5)));
  }

  Action classify(Outcome outcome) {
    return codes.table().classify(outcome);
  }

  @Test
  void successIsAcknowledged() {
    Outcome o = decode(200, SUCCESS);
    assertThat(o.errorCode()).isNull();
    assertThat(o.fieldErrors()).isEmpty();
    assertThat(classify(o)).isEqualTo(Action.ACK);
  }

  @Test
  void warningsAlongsideSuccessAreAcknowledged() {
    Outcome o = decode(200, SUCCESS_WITH_WARNINGS);
    assertThat(o.errorCode()).isNull();
    assertThat(classify(o)).isEqualTo(Action.ACK);
  }

  @Test
  void warningsWithoutSuccessAreNotAcknowledged() {
    // Not schema-valid (Success is required beside Warnings); a channel that sends it has not
    // said it applied anything.
    Outcome o =
        decode(
            200,
            "<OTA_HotelAvailNotifRS "
                + NS
                + " Version=\"1\"><Warnings>"
                + "<Warning Type=\"3\">hm</Warning></Warnings></OTA_HotelAvailNotifRS>");
    assertThat(o.errorCode()).isEqualTo(OtaResponseDecoder.UNREADABLE);
    assertThat(classify(o)).isEqualTo(Action.deadLetter("channel_error"));
  }

  static Stream<Arguments> defaultRows() {
    return Stream.of(
        Arguments.of("12", "450", "450", Action.RETRY),
        Arguments.of("12", "999", "type:12", Action.RETRY),
        Arguments.of("12", null, "type:12", Action.RETRY),
        Arguments.of("1", "448", "448", Action.RETRY),
        Arguments.of("1", "187", "187", Action.RETRY),
        Arguments.of("3", "447", "447", Action.RETRY),
        Arguments.of("3", "402", "402", Action.deadLetter("mapping")),
        Arguments.of("3", "249", "249", Action.deadLetter("mapping")),
        Arguments.of("6", "392", "392", Action.deadLetter("mapping")),
        Arguments.of("3", "375", "375", Action.deadLetter("mapping")),
        Arguments.of("3", "321", "321", Action.deadLetter("validation")),
        Arguments.of("10", null, "type:10", Action.deadLetter("validation")),
        Arguments.of("3", "15", "15", Action.deadLetter("validation")),
        Arguments.of("3", "61", "61", Action.deadLetter("validation")),
        Arguments.of("4", "497", "type:4", Action.REFRESH_AUTH),
        Arguments.of("6", "497", "type:6", Action.deadLetter("forbidden")),
        Arguments.of("3", "999", "999", Action.deadLetter("channel_error")),
        Arguments.of("3", null, "type:3", Action.deadLetter("channel_error")));
  }

  @ParameterizedTest(name = "Type {0} Code {1} -> {2} -> {3}")
  @MethodSource("defaultRows")
  void eachDefaultErrorMapping(String type, String code, String key, Action action) {
    Outcome o = decode(200, errors(error(type, code)));
    assertThat(o.status()).isEqualTo(200);
    assertThat(o.errorCode()).isEqualTo(key);
    assertThat(classify(o)).isEqualTo(action);
  }

  @Test
  void theFirstErrorDecidesAndEveryErrorBecomesAFieldError() {
    Outcome o =
        decode(
            200,
            errors(
                "<Error Type=\"3\" Code=\"249\" ShortText=\"Invalid rate code\" RecordID=\"RP-XX\">"
                    + "RatePlanCode RP-XX is unknown</Error>",
                "<Error Type=\"10\" Tag=\"StatusApplicationControl/@End\"/>",
                "<Error Type=\"12\">boom</Error>"));
    assertThat(o.errorCode()).isEqualTo("249");
    assertThat(o.fieldErrors())
        .containsExactly(
            new FieldError(
                "RP-XX",
                "OpenTravel error Type 3 Code 249 (Invalid rate code): RatePlanCode RP-XX is"
                    + " unknown"),
            new FieldError("StatusApplicationControl/@End", "OpenTravel error Type 10"),
            new FieldError("", "OpenTravel error Type 12: boom"));
    assertThat(classify(o)).isEqualTo(Action.deadLetter("mapping"));
  }

  /**
   * Errors none of which has a Type or Code (not schema-valid, found by fuzzing): never an
   * acknowledgement — the 2xx-with-an-error-code row dead-letters it.
   */
  @Test
  void errorsWithoutTypeOrCodeAreNeverAcknowledged() {
    Outcome o = decode(200, errors("<Error ShortText=\"Invalid hotel\" RecordID=\"H1\"/>"));
    assertThat(o.errorCode()).isEqualTo(OtaResponseDecoder.UNTYPED);
    assertThat(o.fieldErrors())
        .containsExactly(new FieldError("H1", "OpenTravel error (Invalid hotel)"));
    assertThat(classify(o).kind()).isEqualTo(Action.Kind.DEAD_LETTER);
    // a later Error with a Type decides when the first has none
    assertThat(decode(200, errors("<Error/>", error("3", "402"))).errorCode()).isEqualTo("402");
  }

  @Test
  void errorsInsideASoapEnvelopeAreRead() {
    String body =
        "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
            + errors(error("3", "402"))
            + "</soap:Body></soap:Envelope>";
    assertThat(classify(decode(200, body))).isEqualTo(Action.deadLetter("mapping"));
    String ok =
        "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
            + SUCCESS
            + "</soap:Body></soap:Envelope>";
    assertThat(classify(decode(200, ok))).isEqualTo(Action.ACK);
  }

  @Test
  void soap11ServerFaultIsRetried() {
    String body =
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault>"
            + "<faultcode>s:Server</faultcode><faultstring>database down</faultstring>"
            + "</s:Fault></s:Body></s:Envelope>";
    for (int status : new int[] {200, 500}) {
      Outcome o = decode(status, body);
      assertThat(o.errorCode()).isEqualTo("soap:Server");
      assertThat(o.fieldErrors())
          .containsExactly(new FieldError("", "SOAP fault s:Server: database down"));
      assertThat(classify(o)).isEqualTo(Action.RETRY);
    }
  }

  @Test
  void soap12SenderFaultIsAValidationDeadLetter() {
    String body =
        "<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\"><env:Body><env:Fault>"
            + "<env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>x:Bad</env:Value>"
            + "</env:Subcode></env:Code><env:Reason><env:Text xml:lang=\"en\">bad request</env:Text>"
            + "</env:Reason></env:Fault></env:Body></env:Envelope>";
    Outcome o = decode(500, body);
    assertThat(o.errorCode()).isEqualTo("soap:Sender");
    assertThat(o.fieldErrors())
        .containsExactly(new FieldError("", "SOAP fault env:Sender: bad request"));
    assertThat(classify(o)).isEqualTo(Action.deadLetter("validation"));
  }

  @Test
  void anUnknownSoapFaultCodeInA2xxIsAChannelError() {
    String body =
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault>"
            + "<faultcode>s:MustUnderstand</faultcode><faultstring>?</faultstring>"
            + "</s:Fault></s:Body></s:Envelope>";
    assertThat(classify(decode(200, body))).isEqualTo(Action.deadLetter("channel_error"));
  }

  @Test
  void aGarbageBodyInA200IsNeverAcknowledged() {
    for (String garbage :
        List.of(
            "",
            "<html><body>502 Bad Gateway</body></html>",
            "{\"ok\":true}",
            "<OTA_HotelAvailNotifRS " + NS + "><Succ",
            "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>")) {
      Outcome o = decode(200, garbage);
      assertThat(o.errorCode()).as(garbage).isEqualTo(OtaResponseDecoder.UNREADABLE);
      assertThat(o.fieldErrors()).hasSize(1);
      assertThat(o.fieldErrors().get(0).message())
          .startsWith("response is not an OpenTravel acknowledgement");
      assertThat(classify(o)).isEqualTo(Action.deadLetter("channel_error"));
    }
  }

  @Test
  void aGarbageBodyInAnErrorStatusFollowsTheStatusRules() {
    assertThat(classify(decode(503, "<html>busy</html>"))).isEqualTo(Action.RETRY_AFTER);
    assertThat(decode(503, "<html>busy</html>").errorCode()).isNull();
    assertThat(classify(decode(401, ""))).isEqualTo(Action.REFRESH_AUTH);
  }

  @Test
  void configurationOverridesAndAddsRows() {
    OtaErrorCodes custom =
        OtaErrorCodes.fromConfig(Map.of("402", "RETRY", "type:3", "DEAD_LETTER(biz_rule)"));
    OtaResponseDecoder d = new OtaResponseDecoder(custom);
    Outcome room = d.decode(200, Headers.empty(), errors(error("3", "402")).getBytes());
    assertThat(custom.table().classify(room)).isEqualTo(Action.RETRY);
    Outcome other = d.decode(200, Headers.empty(), errors(error("3", "999")).getBytes());
    assertThat(other.errorCode()).isEqualTo("type:3");
    assertThat(custom.table().classify(other)).isEqualTo(Action.deadLetter("biz_rule"));
    assertThat(custom.actions()).containsEntry("249", Action.deadLetter("mapping"));
  }

  @Test
  void badConfigurationNamesTheRow() {
    assertThatThrownBy(() -> OtaErrorCodes.fromConfig(Map.of("402", "SHRUG")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("OpenTravel error row '402': unknown action 'SHRUG'");
    assertThatThrownBy(() -> OtaErrorCodes.fromConfig(Map.of("type:", "RETRY")))
        .hasMessage("OpenTravel error row 'type:': nothing follows 'type:'");
    assertThatThrownBy(() -> OtaErrorCodes.fromConfig(Map.of(" ", "RETRY")))
        .hasMessage("OpenTravel error row has a blank key");
  }
}
