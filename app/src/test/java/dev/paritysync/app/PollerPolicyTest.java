package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.paritysync.app.config.EngineFileConfig;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.classify.Action;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.retry.ChannelPolicy;
import dev.paritysync.hotel.channel.SecretResolver;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A reservation poller runs under the policy the load read and checked, not a second reading. */
class PollerPolicyTest {
  private static final SecretResolver SECRETS = SecretResolver.constant(Secret.of("k"));

  @Test
  @SuppressWarnings("unchecked")
  void thePollerTakesTheChannelsCheckedPolicyWithTheAdaptersRows() throws Exception {
    String yaml =
        """
        portfolio:
          properties:
            P1: {timezone: UTC, rooms: {DBL: {ratePlans: {BAR: EUR}}}}
        channels:
          a:
            adapter: ota
            baseUrl: http://127.0.0.1:9/
            credentials: {apiKey: {header: X-Api-Key, value: "${env:KEY}"}}
            mapping: {rooms: {DBL: D1}}
            options: {errorCodes: {"320": RETRY}}
            resilience: {backoff: {base: 3s}}
            reservations: {mode: poll}
        """;
    Map<String, Object> map = new ObjectMapper(new YAMLFactory()).readValue(yaml, Map.class);
    EngineFileConfig cfg = EngineFileConfig.fromMap(map, SECRETS);

    ChannelPolicy p = EngineHost.pollerPolicy(cfg, "a");

    assertThat(p).isSameAs(cfg.policies().get("a"));
    assertThat(p.backoff().base()).isEqualTo(Duration.ofSeconds(3));
    // the ota adapter's row from options.errorCodes: a policy re-read from the resilience block
    // alone would dead-letter this answer as core's table does
    assertThat(p.classification().classify(Outcome.response(200).withErrorCode("320")))
        .isEqualTo(Action.RETRY);
  }
}
