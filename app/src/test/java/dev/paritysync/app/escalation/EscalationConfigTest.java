package dev.paritysync.app.escalation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.hotel.channel.SecretResolver;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code escalation:} section: defaults, and errors that name the key. */
class EscalationConfigTest {
  private static final SecretResolver SECRETS =
      SecretResolver.fromMap(
          Map.of("env:WHSEC", "whsec_c2VjcmV0LWtleS1ieXRlcw==", "env:BAD", "x!"));

  @SuppressWarnings("unchecked")
  private static EscalationConfig parse(String yaml) {
    try {
      Map<String, Object> map = new ObjectMapper(new YAMLFactory()).readValue(yaml, Map.class);
      return EscalationConfig.parse(new ConfigMap("escalation", map), SECRETS);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void defaultsWatchAllThreeConditions() {
    EscalationConfig c =
        parse(
            "receivers:\n"
                + "  ops: {type: webhook, url: 'https://ops.example/hook', secret: '${env:WHSEC}'}\n"
                + "  am: {type: alertmanager, url: 'http://127.0.0.1:9093/api/v2/alerts'}\n");
    assertThat(c.every()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.driftCells()).isEqualTo(1);
    assertThat(c.circuitOpenFor()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.deadLetters()).isEqualTo(10);
    assertThat(c.receivers().get("am").repeat()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.receivers().get("ops").secret()).isNotNull();
    assertThat(c.receivers().get("ops").toString()).doesNotContain("c2Vj");
  }

  @Test
  void conditionsNamedAreTheOnlyOnesWatched() {
    EscalationConfig c =
        parse(
            "every: 10s\n"
                + "conditions: {circuitOpen: {for: 2m}, deadLetters: {}}\n"
                + "receivers: {am: {type: alertmanager, url: 'http://am:9093/api/v2/alerts',"
                + " repeat: 30s, generatorUrl: 'http://ps/'}}\n");
    assertThat(c.every()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.driftCells()).isNull();
    assertThat(c.circuitOpenFor()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.deadLetters()).isEqualTo(10);
    assertThat(c.receivers().get("am").generatorUrl()).isEqualTo("http://ps/");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "every: 1m | escalation.receivers: is missing",
        "receivers: {} | escalation.receivers: is empty",
        "receivers: {x: {url: 'http://a/'}} | escalation.receivers.x.type: is missing",
        "receivers: {x: {type: slack, url: 'http://a/'}} | escalation.receivers.x.type: expected"
            + " webhook or alertmanager, was 'slack'",
        "receivers: {x: {type: alertmanager}} | escalation.receivers.x.url: is missing",
        "receivers: {x: {type: alertmanager, url: 'ftp://a/'}} | escalation.receivers.x.url:"
            + " ftp://a/ is not an http(s) URL",
        "receivers: {x: {type: webhook, url: 'http://a/'}} | escalation.receivers.x.secret: is"
            + " missing",
        "receivers: {x: {type: webhook, url: 'http://a/', secret: inline}} |"
            + " escalation.receivers.x.secret: must be a reference",
        "receivers: {x: {type: webhook, url: 'http://a/', secret: '${env:BAD}'}} |"
            + " escalation.receivers.x.secret: secret is not whsec_",
        "receivers: {x: {type: alertmanager, url: 'http://a/', repeat: 10ms}} |"
            + " escalation.receivers.x.repeat: must be at least 1s",
        "receivers: {x: {type: alertmanager, url: 'http://a/', secret: '${env:WHSEC}'}} |"
            + " escalation.receivers.x.secret",
        "receivers: {x: {type: alertmanager, url: 'http://a/', generatorUrl: grafana}} |"
            + " escalation.receivers.x.generatorUrl: grafana is not an http(s) URL",
        "every: 0s | escalation.every",
        "conditions: {} | escalation.conditions: is empty",
        "conditions: {deadLetters: {count: 0}} | escalation.conditions.deadLetters.count: must be"
            + " at least 1, was 0",
        "conditions: {circuitOpen: {after: 5m}} | escalation.conditions.circuitOpen.after",
        "conditions: {parity: {}} | escalation.conditions.parity",
        "recievers: {} | escalation.recievers",
      })
  void aBadValueNamesItsKey(String yaml, String message) {
    String doc =
        yaml.startsWith("receivers") || yaml.startsWith("every: 1m")
            ? yaml
            : yaml + "\nreceivers: {am: {type: alertmanager, url: 'http://a/'}}";
    assertThatThrownBy(() -> parse(doc))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
