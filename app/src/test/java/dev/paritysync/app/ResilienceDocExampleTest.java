package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.paritysync.core.backoff.Jitter;
import dev.paritysync.core.classify.Action;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.core.headers.ResetMode;
import dev.paritysync.core.quota.QuotaLimit;
import dev.paritysync.core.retry.ChannelPolicy;
import dev.paritysync.hotel.channel.HotelDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The worked example in docs/resilience.md is real configuration: it loads and means what it says.
 */
class ResilienceDocExampleTest {

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(String text) throws Exception {
    return new ObjectMapper(new YAMLFactory()).readValue(text, Map.class);
  }

  @SuppressWarnings("unchecked")
  private static ChannelPolicy channex(Map<String, Object> root) {
    Map<String, Object> channel =
        (Map<String, Object>) ((Map<String, Object>) root.get("channels")).get("channex");
    return HotelDefaults.policy(
        "channex",
        new ConfigMap(
            "channels.channex.resilience", (Map<String, Object>) channel.get("resilience")));
  }

  @Test
  void theWorkedExampleLoadsAndOverridesOnlyWhatItNames() throws Exception {
    Path doc = Path.of("..", "docs", "resilience.md");
    String text = Files.readString(doc);
    int at = text.indexOf("## Worked example");
    int start = text.indexOf("```yaml", at) + "```yaml".length();
    int end = text.indexOf("```", start);
    ChannelPolicy p = channex(yaml(text.substring(start, end)));

    assertThat(p.backoff().base()).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.backoff().cap()).isEqualTo(Duration.ofSeconds(60));
    assertThat(p.backoff().maxRetries()).isEqualTo(8);
    assertThat(p.backoff().multiplier()).isEqualTo(2.0);
    assertThat(p.backoff().jitter()).isEqualTo(Jitter.full());
    assertThat(p.waitCeiling().max()).isEqualTo(Duration.ofMinutes(5));
    assertThat(p.resetMode()).isEqualTo(ResetMode.EPOCH_SECONDS);
    assertThat(p.budgetRatio()).isEqualTo(0.1);
    assertThat(p.budgetMinRetries()).isEqualTo(5);
    assertThat(p.budgetWindow()).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.quotas().get("availability")).containsExactly(QuotaLimit.parse("10/1m"));
    assertThat(p.quotas().get("restrictions")).containsExactly(QuotaLimit.parse("10/1m"));
    assertThat(p.quotas().get("read")).containsExactly(QuotaLimit.parse("5/1s"));
    assertThat(p.breaker().consecutiveFailures()).isEqualTo(3);
    assertThat(p.breaker().openDuration()).isEqualTo(Duration.ofMinutes(1));
    assertThat(p.concurrency()).isEqualTo(2);
    assertThat(p.classification().classify(Outcome.response(409))).isEqualTo(Action.RETRY);
    assertThat(p.classification().classify(Outcome.response(200).withErrorCode("RATE_PLAN_LOCKED")))
        .isEqualTo(Action.deadLetter("mapping"));
    // not named, so still the defaults
    assertThat(p.classification().classify(Outcome.response(503))).isEqualTo(Action.RETRY_AFTER);
    assertThat(p.classification().classify(Outcome.response(401))).isEqualTo(Action.REFRESH_AUTH);
  }

  @Test
  void errorsNameTheFullKey() {
    assertThatThrownBy(
            () -> channex(yaml("channels: {channex: {resilience: {backoff: {base: 2}}}}")))
        .hasMessageContaining("channels.channex.resilience.backoff.base")
        .hasMessageContaining("is not a duration");
    assertThatThrownBy(
            () -> channex(yaml("channels: {channex: {resilience: {retryBudgte: {ratio: 1}}}}")))
        .hasMessageContaining("channels.channex.resilience.retryBudgte: unknown key");
    assertThatThrownBy(
            () ->
                channex(
                    yaml(
                        "channels: {channex: {resilience: {quotas: {availability: [\"ten a minute\"]}}}}")))
        .hasMessageContaining("channels.channex.resilience.quotas.availability[0]");
    assertThatThrownBy(
            () -> channex(yaml("channels: {channex: {resilience: {backoff: {jitter: wild}}}}")))
        .hasMessageContaining("channels.channex.resilience.backoff.jitter")
        .hasMessageContaining("unknown jitter 'wild'");
    assertThatThrownBy(
            () ->
                channex(
                    yaml(
                        "channels: {channex: {resilience: {classification: [{status: 409, action:"
                            + " NAP}]}}}")))
        .hasMessageContaining("channels.channex.resilience.classification");
  }

  @Test
  void anEmptyMappingGivesTheHotelDefaults() {
    ChannelPolicy p = HotelDefaults.policy("x", new ConfigMap("channels.x.resilience", Map.of()));
    assertThat(p.backoff().toString()).isEqualTo(HotelDefaults.BACKOFF.toString());
    assertThat(p.quotas()).isEmpty();
    assertThat(p.concurrency()).isEqualTo(4);
    assertThat(List.of(p.budgetRatio(), (double) p.budgetMinRetries())).containsExactly(0.2, 10.0);
  }
}
