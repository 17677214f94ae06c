package dev.paritysync.app.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.core.http.CallContext;
import dev.paritysync.core.log.LogContext;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The JSON log line the shipped {@code logback.xml} writes: the field names operators read and
 * docs/resilience.md lists, whatever core calls its MDC keys.
 */
class LogFormatTest {

  @Test
  void aCallsScopeIsWrittenAsPropertyBesideTheOtherIds() throws Exception {
    CallContext call =
        CallContext.newRoot("booking", "P1", new SplittableRandom(3))
            .withIdempotencyKey("batch-1")
            .withAttempt(2);
    Map<String, String> mdc;
    try (LogContext.Scope s = LogContext.open(call)) {
      mdc = MDC.getCopyOfContextMap();
    }

    JsonNode line = line(mdc);

    assertThat(line.path("property").asText()).isEqualTo("P1");
    assertThat(line.has("scope")).as("core's neutral key name stays out of the line").isFalse();
    assertThat(line.path("channel").asText()).isEqualTo("booking");
    assertThat(line.path("attempt").asText()).isEqualTo("2");
    assertThat(line.path("idempotency_key").asText()).isEqualTo("batch-1");
    assertThat(line.path("correlation_id").asText()).isEqualTo(call.correlationId());
    assertThat(line.path("trace_id").asText()).isEqualTo(call.traceId());
    assertThat(line.path("message").asText()).isEqualTo("pushing rates");
  }

  /** One event with {@code mdc}, encoded by the JSON appender of the shipped configuration. */
  @SuppressWarnings("unchecked")
  private static JsonNode line(Map<String, String> mdc) throws Exception {
    URL shipped = LogFormatTest.class.getResource("/logback.xml");
    assertThat(shipped).as("app's logback.xml on the classpath").isNotNull();
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(shipped);
    try {
      Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
      OutputStreamAppender<ILoggingEvent> json =
          (OutputStreamAppender<ILoggingEvent>) root.getAppender("JSON");
      LoggingEvent event =
          new LoggingEvent(
              LogFormatTest.class.getName(),
              context.getLogger(LogFormatTest.class),
              Level.WARN,
              "pushing rates",
              null,
              null);
      event.setMDCPropertyMap(mdc);
      byte[] bytes = json.getEncoder().encode(event);
      return new ObjectMapper().readTree(new String(bytes, StandardCharsets.UTF_8));
    } finally {
      context.stop();
    }
  }
}
