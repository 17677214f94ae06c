package dev.paritysync.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.http.CallContext;
import dev.paritysync.core.testing.CapturedLogs;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

@SuppressWarnings("try") // scopes are opened for their side effect on the MDC
class LogContextTest {
  private final CallContext ctx =
      CallContext.newRoot("expedia", "scope-3", new SplittableRandom(7))
          .withIdempotencyKey("batch-9")
          .withAttempt(2);

  @AfterEach
  void clear() {
    MDC.clear();
  }

  @Test
  void putsTheIdsIntoTheMdcForTheScope() {
    try (LogContext.Scope s = LogContext.open(ctx)) {
      assertThat(MDC.getCopyOfContextMap())
          .containsEntry("correlation_id", ctx.correlationId())
          .containsEntry(
              "trace_id", dev.paritysync.core.http.TraceContext.parse(ctx.traceparent()).traceId())
          .containsEntry("channel", "expedia")
          .containsEntry("scope", "scope-3")
          .containsEntry("attempt", "2")
          .containsEntry("idempotency_key", "batch-9");
    }
    assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
  }

  @Test
  void logLinesWrittenInTheScopeCarryTheIds() {
    try (CapturedLogs logs = CapturedLogs.of("dev.paritysync.core.log");
        LogContext.Scope s = LogContext.open(ctx)) {
      LoggerFactory.getLogger(LogContextTest.class).info("pushing");

      assertThat(logs.events())
          .singleElement()
          .satisfies(e -> assertThat(e.getMDCPropertyMap()).containsEntry("channel", "expedia"));
    }
  }

  @Test
  void closingRestoresThePreviousMdc() {
    MDC.put("request", "r-1");
    MDC.put("scope", "outer-scope");
    CallContext noScope = CallContext.newRoot("channex", null, new SplittableRandom(1));

    try (LogContext.Scope s = LogContext.open(noScope)) {
      assertThat(MDC.get("scope")).isNull();
      assertThat(MDC.get("idempotency_key")).isNull();
      assertThat(MDC.get("request")).isEqualTo("r-1");
      try (LogContext.Scope inner = LogContext.open(ctx)) {
        assertThat(MDC.get("channel")).isEqualTo("expedia");
      }
      assertThat(MDC.get("channel")).isEqualTo("channex");
      assertThat(MDC.get("attempt")).isEqualTo("1");
    }

    assertThat(MDC.getCopyOfContextMap())
        .containsOnlyKeys("request", "scope")
        .containsEntry("scope", "outer-scope");
  }

  @Test
  void closingTwiceDoesNotClobberALaterScope() {
    LogContext.Scope first = LogContext.open(ctx);
    first.close();
    MDC.put("later", "yes");

    first.close();

    assertThat(MDC.get("later")).isEqualTo("yes");
  }
}
