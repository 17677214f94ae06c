package dev.paritysync.hotel.poll;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.json.StrictJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@link WebhookIntake} reads a body it will dead-letter: never an unchecked exception. */
class WebhookBodyTest {
  static final StrictJson JSON = new StrictJson(WebhookIntake.DEFAULT_MAX_JSON_DEPTH, 64);

  static Reservation parse(String body) throws IOException {
    return WebhookIntake.parse(
        JSON, body.getBytes(StandardCharsets.UTF_8), "b", Map.of("D1", "DBL"));
  }

  static String booking(String arrival, String departure) {
    return "{\"id\":\"R-1\",\"revision\":1,\"property\":\"P1\",\"room\":\"D1\",\"arrival\":\""
        + arrival
        + "\",\"departure\":\""
        + departure
        + "\",\"status\":\"new\"}";
  }

  @Test
  void deepNestingIsAReasonNotANullPointer() {
    // 5,000 levels used to end in a NullPointerException (a constraint error has no location).
    String deep = "[".repeat(5_000) + "]".repeat(5_000);
    assertThatThrownBy(() -> parse(deep))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not JSON")
        .hasMessageEndingWith("nested more than 32 levels deep");
  }

  @Test
  void aKeyTwiceIsAReason() {
    assertThatThrownBy(
            () -> parse(booking("2026-03-10", "2026-03-12").replace("{", "{\"id\":\"X\",")))
        .isInstanceOf(IOException.class)
        .hasMessage("/id: not JSON (line 1, column 15): key \"id\" appears twice in one object");
  }

  @Test
  void aStayLongerThanTheMaximumIsAReason() throws IOException {
    // 2027 to 9999 used to take 19 s and answer a 35 MB note, one entry per night.
    Reservation r = parse(booking("2027-01-01", "9999-12-31"));
    assertThatThrownBy(() -> WebhookIntake.checkStay(r, 750))
        .hasMessage(
            "/departure: a stay of 2912077 nights (2027-01-01 to 9999-12-31) is longer than the"
                + " maximum of 750");
    WebhookIntake.checkStay(parse(booking("2027-01-01", "2028-01-01")), 750);
  }
}
