package dev.paritysync.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceContextTest {

  @Test
  void aNewRootIsAValidSampledTraceparent() {
    TraceContext root = TraceContext.newRoot(new SplittableRandom(3));

    assertThat(root.header()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(TraceContext.isValid(root.header())).isTrue();
    assertThat(root.sampled()).isTrue();
    assertThat(TraceContext.parse(root.header())).isEqualTo(root);
  }

  @Test
  void aChildKeepsTheTraceIdWithANewSpan() {
    SplittableRandom random = new SplittableRandom(3);
    TraceContext root = TraceContext.newRoot(random);

    TraceContext child = root.child(random);

    assertThat(child.traceId()).isEqualTo(root.traceId());
    assertThat(child.spanId()).isNotEqualTo(root.spanId());
    assertThat(TraceContext.isValid(child.header())).isTrue();
  }

  @Test
  void parsesTheSpecExample() {
    TraceContext t = TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

    assertThat(t.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(t.spanId()).isEqualTo("00f067aa0ba902b7");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
        "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
      })
  void rejectsInvalidValuesNamingThem(String value) {
    assertThat(TraceContext.isValid(value)).isFalse();
    assertThatThrownBy(() -> TraceContext.parse(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid traceparent '" + value + "'");
  }

  @Test
  void callContextKeepsItsIdsAcrossAttempts() {
    CallContext first = CallContext.newRoot("booking", null, new SplittableRandom(5));

    CallContext third = first.withAttempt(3);

    assertThat(first.attempt()).isEqualTo(1);
    assertThat(third.attempt()).isEqualTo(3);
    assertThat(third.correlationId()).isEqualTo(first.correlationId());
    assertThat(third.traceparent()).isEqualTo(first.traceparent());
    assertThatThrownBy(() -> first.withAttempt(0)).hasMessageContaining("from 1");
  }
}
