package dev.paritysync.hotel.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The channel's {@code priority} block: default, off, a custom order, and errors by key path. */
class ChannelPriorityTest {
  private static ChannelPriority parse(String block) throws Exception {
    String text =
        ChannelConfigTest.YAML.replace(
            "      retry: {maxAttempts: 5}\n",
            "      retry: {maxAttempts: 5}\n" + (block.isEmpty() ? "" : "    " + block + "\n"));
    return ChannelConfig.parseAll(
            ChannelConfigTest.yaml(text).get("channels"), ChannelConfigTest.SECRETS)
        .get("booking")
        .priority();
  }

  @Test
  void absentIsOnWithCloseFirstAndFiveMinutes() throws Exception {
    ChannelPriority p = parse("");
    assertThat(p).isEqualTo(ChannelPriority.DEFAULT);
    assertThat(p.enabled()).isTrue();
    assertThat(p.order())
        .containsExactly(
            PriorityClass.CLOSE,
            PriorityClass.AVAILABILITY,
            PriorityClass.RATE,
            PriorityClass.RESTRICTION);
    assertThat(p.maxWait()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void offAndOnAndACustomOrder() throws Exception {
    assertThat(parse("priority: off").enabled()).isFalse();
    assertThat(parse("priority: false").enabled()).isFalse();
    assertThat(parse("priority: on")).isEqualTo(ChannelPriority.DEFAULT);
    ChannelPriority p =
        parse("priority: {order: [close, rate, availability, restriction], maxWait: 90s}");
    assertThat(p.order().get(1)).isEqualTo(PriorityClass.RATE);
    assertThat(p.maxWait()).isEqualTo(Duration.ofSeconds(90));
    assertThat(p.classOf(PriorityClass.RATE.bit() | PriorityClass.AVAILABILITY.bit()))
        .isEqualTo(PriorityClass.RATE);
    assertThat(parse("priority: {maxWait: 1m}").order()).isEqualTo(ChannelPriority.DEFAULT.order());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          unknown class  | priority: {order: [close, price, rate, restriction]}              | channels.booking.priority.order[1]: unknown class 'price'; expected one of close, availability, rate, restriction
          twice          | priority: {order: [close, close, rate, restriction]}              | channels.booking.priority.order[1]: close is listed twice
          missing        | priority: {order: [close, availability, rate]}                    | channels.booking.priority.order: must list every class once; restriction is missing
          not a list     | priority: {order: close}                                          | channels.booking.priority.order: expected a list of close, availability, rate, restriction, got a string
          number in list | priority: {order: [1, availability, rate, restriction]}           | channels.booking.priority.order[0]: expected one of close, availability, rate, restriction, got an integer
          bad wait       | priority: {maxWait: soon}                                         | channels.booking.priority.maxWait: 'soon' is not a duration (examples: 250ms, 1s, 15m, 72h, 2d, PT30S)
          zero wait      | priority: {maxWait: 0s}                                           | channels.booking.priority.maxWait: must be positive, was 0s
          unknown key    | priority: {order: [close, availability, rate, restriction], x: 1} | channels.booking.priority.x: unknown key; expected one of order, maxWait
          a number       | priority: 3                                                       | channels.booking.priority: expected off, on or a map of order and maxWait, got an integer
          """)
  void badPriorityNamesTheKey(String name, String block, String message) {
    assertThatThrownBy(() -> parse(block))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void theRecordChecksItsOwnValues() {
    assertThatThrownBy(
            () -> new ChannelPriority(true, List.of(PriorityClass.CLOSE), Duration.ofMinutes(1)))
        .hasMessageContaining("order must list each of close, availability, rate, restriction");
    assertThatThrownBy(
            () -> new ChannelPriority(true, ChannelPriority.DEFAULT.order(), Duration.ZERO))
        .hasMessage("maxWait must be above 0, was PT0S");
    assertThat(ChannelPriority.DEFAULT.classOf(0)).isEqualTo(PriorityClass.CLOSE);
    assertThat(Map.of("a", PriorityClass.CLOSE.configName())).containsEntry("a", "close");
  }
}
