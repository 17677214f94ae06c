package dev.paritysync.hotel.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.core.backoff.Jitter;
import dev.paritysync.core.breaker.BreakerConfig;
import dev.paritysync.core.classify.Action;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.core.headers.ResetMode;
import dev.paritysync.core.retry.ChannelPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HotelDefaultsTest {

  @Test
  void thePolicyCarriesEveryDefault() {
    ChannelPolicy p = HotelDefaults.policy("booking");

    assertThat(p.channel()).isEqualTo("booking");
    assertThat(p.backoff()).isSameAs(HotelDefaults.BACKOFF);
    assertThat(p.waitCeiling()).isEqualTo(HotelDefaults.WAIT_CEILING);
    assertThat(p.resetMode()).isEqualTo(HotelDefaults.RATE_LIMIT_RESET);
    assertThat(p.budgetRatio()).isEqualTo(HotelDefaults.RETRY_BUDGET_RATIO);
    assertThat(p.budgetMinRetries()).isEqualTo(HotelDefaults.RETRY_BUDGET_MIN_RETRIES);
    assertThat(p.budgetWindow()).isEqualTo(HotelDefaults.RETRY_BUDGET_WINDOW);
    assertThat(p.breaker()).isEqualTo(HotelDefaults.BREAKER);
    assertThat(p.concurrency()).isEqualTo(HotelDefaults.CONCURRENCY);
    assertThat(p.quotas()).isEmpty();
    assertThat(p.classification().classify(Outcome.response(503))).isEqualTo(Action.RETRY_AFTER);
  }

  /** The values people were promised: a change here is a change of docs/resilience.md. */
  @Test
  void theValuesAreTheDocumentedOnes() {
    assertThat(HotelDefaults.BACKOFF.base()).isEqualTo(Duration.ofSeconds(1));
    assertThat(HotelDefaults.BACKOFF.multiplier()).isEqualTo(2.0);
    assertThat(HotelDefaults.BACKOFF.cap()).isEqualTo(Duration.ofSeconds(30));
    assertThat(HotelDefaults.BACKOFF.maxRetries()).isEqualTo(5);
    assertThat(HotelDefaults.BACKOFF.jitter()).isEqualTo(Jitter.proportional(0.5));
    assertThat(HotelDefaults.WAIT_CEILING.max()).isEqualTo(Duration.ofMinutes(15));
    assertThat(HotelDefaults.RATE_LIMIT_RESET).isEqualTo(ResetMode.DELTA_SECONDS);
    assertThat(HotelDefaults.BREAKER)
        .isEqualTo(new BreakerConfig(50f, 20, 10, 5, Duration.ofSeconds(30), 3));
  }

  /** Each row of the "Defaults" table, written from the constants: the doc cannot drift. */
  @Test
  void docsResilienceListsTheseDefaults() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "resilience.md"));
    BreakerConfig b = HotelDefaults.BREAKER;

    assertThat(doc)
        .contains("| backoff base | " + seconds(HotelDefaults.BACKOFF.base()) + " |")
        .contains("| multiplier | ×" + (int) HotelDefaults.BACKOFF.multiplier() + " |")
        .contains("| cap | " + seconds(HotelDefaults.BACKOFF.cap()) + " |")
        .contains("| retries | " + HotelDefaults.BACKOFF.maxRetries() + " (")
        .contains(
            "| jitter | proportional +0–"
                + Math.round(HotelDefaults.BACKOFF.jitter().proportion() * 100)
                + " % |")
        .contains(
            "| ceiling on a server's requested wait | "
                + HotelDefaults.WAIT_CEILING.max().toMinutes()
                + " min (")
        .contains("| meaning of `RateLimit-Reset` / `X-RateLimit-Reset` | delta seconds |")
        .contains(
            "| retry budget | "
                + Math.round(HotelDefaults.RETRY_BUDGET_RATIO * 100)
                + " % of first attempts, floor "
                + HotelDefaults.RETRY_BUDGET_MIN_RETRIES
                + " retries, per "
                + seconds(HotelDefaults.RETRY_BUDGET_WINDOW)
                + " |")
        .contains(
            "| circuit breaker | opens at "
                + Math.round(b.failureRateThreshold())
                + " % failures over "
                + b.slidingWindowSize()
                + " calls (min "
                + b.minimumCalls()
                + ") or "
                + b.consecutiveFailures()
                + " in a row; open "
                + seconds(b.openDuration())
                + "; "
                + b.halfOpenCalls()
                + " probes |")
        .contains("never while it waits) | " + HotelDefaults.CONCURRENCY + " | `concurrency` |");
  }

  /**
   * The configuration schema's {@code default}s, written out as a resilience block, give the same
   * policy as no block at all: the schema cannot drift from the code either.
   */
  @Test
  void theConfigSchemasDefaultsAreTheseDefaults() throws Exception {
    JsonNode schema =
        new ObjectMapper().readTree(Path.of("..", "schema", "paritysync.schema.json").toFile());
    Map<String, Object> block = defaults(schema.at("/$defs/resilience/properties"));
    assertThat(block)
        .containsOnlyKeys(
            "backoff",
            "maxServerWait",
            "rateLimitReset",
            "retryBudget",
            "circuitBreaker",
            "concurrency");

    ChannelPolicy fromSchema =
        HotelDefaults.policy("x", new ConfigMap("channels.x.resilience", block));
    ChannelPolicy p = HotelDefaults.policy("x");

    assertThat(fromSchema.backoff().toString()).isEqualTo(p.backoff().toString());
    assertThat(fromSchema.waitCeiling()).isEqualTo(p.waitCeiling());
    assertThat(fromSchema.resetMode()).isEqualTo(p.resetMode());
    assertThat(fromSchema.budgetRatio()).isEqualTo(p.budgetRatio());
    assertThat(fromSchema.budgetMinRetries()).isEqualTo(p.budgetMinRetries());
    assertThat(fromSchema.budgetWindow()).isEqualTo(p.budgetWindow());
    assertThat(fromSchema.breaker()).isEqualTo(p.breaker());
    assertThat(fromSchema.concurrency()).isEqualTo(p.concurrency());
  }

  /** Every {@code default} under {@code properties}, nested as the keys are. */
  private static Map<String, Object> defaults(JsonNode properties) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : properties.properties()) {
      JsonNode v = e.getValue();
      if (v.has("default")) {
        JsonNode d = v.get("default");
        out.put(e.getKey(), d.isTextual() ? d.asText() : d.numberValue());
      } else if (v.has("properties")) {
        Map<String, Object> inner = defaults(v.get("properties"));
        if (!inner.isEmpty()) {
          out.put(e.getKey(), inner);
        }
      }
    }
    return out;
  }

  @Test
  void aBlockOverridesOnlyWhatItNames() {
    ChannelPolicy p =
        HotelDefaults.policy(
            "booking",
            new ConfigMap(
                "channels.booking.resilience",
                Map.of("concurrency", 2, "backoff", Map.of("maxRetries", 8))));

    assertThat(p.concurrency()).isEqualTo(2);
    assertThat(p.backoff().maxRetries()).isEqualTo(8);
    assertThat(p.backoff().cap()).isEqualTo(HotelDefaults.BACKOFF.cap());
    assertThat(p.breaker()).isEqualTo(HotelDefaults.BREAKER);
    assertThat(p.budgetRatio()).isEqualTo(HotelDefaults.RETRY_BUDGET_RATIO);
  }

  @Test
  void errorsNameTheChannelsKeyPath() {
    assertThatThrownBy(
            () ->
                HotelDefaults.policy(
                    "booking",
                    new ConfigMap("channels.booking.resilience", Map.of("concurency", 2))))
        .hasMessageContaining("channels.booking.resilience.concurency");
  }

  private static String seconds(Duration d) {
    return d.toSeconds() + " s";
  }
}
