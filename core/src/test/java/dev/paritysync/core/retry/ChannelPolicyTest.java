package dev.paritysync.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.backoff.Backoff;
import dev.paritysync.core.backoff.Jitter;
import dev.paritysync.core.breaker.BreakerConfig;
import dev.paritysync.core.budget.RetryBudget;
import dev.paritysync.core.classify.Action;
import dev.paritysync.core.classify.ClassificationTable;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.core.headers.ResetMode;
import dev.paritysync.core.headers.WaitCeiling;
import dev.paritysync.core.quota.QuotaLimit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelPolicyTest {
  private static final Backoff SLOW =
      Backoff.builder()
          .withBase(Duration.ofSeconds(3))
          .withMultiplier(3)
          .withCap(Duration.ofMinutes(2))
          .withMaxRetries(9)
          .withJitter(Jitter.none())
          .build();

  /** An application's own defaults, all unlike core's neutral ones. */
  private static final ChannelPolicy OWN =
      ChannelPolicy.builder("c")
          .withBackoff(SLOW)
          .withWaitCeiling(new WaitCeiling(Duration.ofMinutes(3)))
          .withResetMode(ResetMode.EPOCH_SECONDS)
          .withRetryBudget(0.5, 3, Duration.ofSeconds(20))
          .withQuota("ari", List.of(QuotaLimit.parse("7/1m")))
          .withQuota("read", List.of(QuotaLimit.parse("2/1s")))
          .withBreaker(new BreakerConfig(25f, 8, 4, 2, Duration.ofSeconds(9), 1))
          .withConcurrency(7)
          .withClassification(
              ClassificationTable.defaults().toBuilder().onStatus(409, Action.RETRY).build())
          .build();

  private static ConfigMap config(Map<String, Object> values) {
    return new ConfigMap("channels.c.resilience", values);
  }

  @Test
  void theBuilderStartsFromEachComponentsOwnDefaults() {
    ChannelPolicy p = ChannelPolicy.builder("c").build();

    assertThat(p.backoff().toString()).isEqualTo(Backoff.builder().build().toString());
    assertThat(p.classification()).isSameAs(ClassificationTable.defaults());
    assertThat(p.waitCeiling()).isEqualTo(WaitCeiling.defaults());
    assertThat(p.resetMode()).isEqualTo(ResetMode.DELTA_SECONDS);
    assertThat(p.budgetRatio()).isEqualTo(RetryBudget.DEFAULT_RATIO);
    assertThat(p.budgetMinRetries()).isEqualTo(RetryBudget.DEFAULT_MIN_RETRIES);
    assertThat(p.budgetWindow()).isEqualTo(RetryBudget.DEFAULT_WINDOW);
    assertThat(p.breaker()).isEqualTo(BreakerConfig.defaults());
    assertThat(p.quotas()).isEmpty();
    assertThat(p.concurrency()).isEqualTo(ChannelPolicy.DEFAULT_CONCURRENCY);
    assertThat(ChannelPolicy.defaults("c").concurrency()).isEqualTo(p.concurrency());
  }

  @Test
  void anEmptyBlockKeepsEveryValueOfTheGivenDefaults() {
    ChannelPolicy p = ChannelPolicy.fromConfig(OWN, config(Map.of()));

    assertThat(p.channel()).isEqualTo("c");
    assertThat(p.backoff().toString()).isEqualTo(SLOW.toString());
    assertThat(p.waitCeiling()).isEqualTo(OWN.waitCeiling());
    assertThat(p.resetMode()).isEqualTo(ResetMode.EPOCH_SECONDS);
    assertThat(List.of(p.budgetRatio(), (double) p.budgetMinRetries())).containsExactly(0.5, 3.0);
    assertThat(p.budgetWindow()).isEqualTo(Duration.ofSeconds(20));
    assertThat(p.quotas()).isEqualTo(OWN.quotas());
    assertThat(p.breaker()).isEqualTo(OWN.breaker());
    assertThat(p.concurrency()).isEqualTo(7);
    assertThat(p.classification().classify(Outcome.response(409))).isEqualTo(Action.RETRY);
  }

  @Test
  void aBlockOverridesOnlyWhatItNames() {
    ChannelPolicy p =
        ChannelPolicy.fromConfig(
            OWN,
            config(
                Map.of(
                    "backoff", Map.of("maxRetries", 2),
                    "rateLimitReset", "delta",
                    "retryBudget", Map.of("minRetries", 1),
                    "quotas", Map.of("ari", List.of("1/1s")),
                    "circuitBreaker", Map.of("failureRate", "40%"),
                    "classification", List.of(Map.of("status", 503, "action", "RETRY")))));

    assertThat(p.backoff().maxRetries()).isEqualTo(2);
    assertThat(p.backoff().base()).isEqualTo(SLOW.base());
    assertThat(p.backoff().jitter()).isEqualTo(Jitter.none());
    assertThat(p.resetMode()).isEqualTo(ResetMode.DELTA_SECONDS);
    assertThat(p.budgetMinRetries()).isEqualTo(1);
    assertThat(p.budgetRatio()).isEqualTo(0.5);
    assertThat(p.quotas().get("ari")).containsExactly(QuotaLimit.parse("1/1s"));
    assertThat(p.quotas().get("read"))
        .as("the default's other endpoint")
        .isEqualTo(OWN.quotas().get("read"));
    assertThat(p.breaker().failureRateThreshold()).isEqualTo(40f);
    assertThat(p.breaker().openDuration()).isEqualTo(Duration.ofSeconds(9));
    assertThat(p.classification().classify(Outcome.response(503))).isEqualTo(Action.RETRY);
    assertThat(p.classification().classify(Outcome.response(409)))
        .as("rows go over the default's table")
        .isEqualTo(Action.RETRY);
  }

  @Test
  void badValuesNameTheirKeyPath() {
    assertThatThrownBy(() -> ChannelPolicy.fromConfig(OWN, config(Map.of("rateLimitReset", "x"))))
        .hasMessage("channels.c.resilience.rateLimitReset: 'x' must be delta or epoch");
    assertThatThrownBy(
            () ->
                ChannelPolicy.fromConfig(
                    OWN, config(Map.of("retryBudget", Map.of("window", "1ms")))))
        .hasMessageContaining("channels.c.resilience.retryBudget.window: must be at least 10ms");
    assertThatThrownBy(
            () ->
                ChannelPolicy.fromConfig(
                    OWN, config(Map.of("backoff", Map.of("cap", "1s", "base", "2s")))))
        .hasMessageContaining("channels.c.resilience.backoff")
        .hasMessageContaining("must not be below the base");
    assertThatThrownBy(
            () ->
                ChannelPolicy.fromConfig(
                    OWN, config(Map.of("circuitBreaker", Map.of("failureRate", 0)))))
        .hasMessageContaining("channels.c.resilience.circuitBreaker.failureRate");
  }
}
