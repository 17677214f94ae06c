package dev.paritysync.app.escalation;

import java.time.Instant;
import java.util.Objects;

/**
 * A condition that holds now, over its threshold. Immutable.
 *
 * @param condition {@value #DRIFT}, {@value #CIRCUIT_OPEN} or {@value #DEAD_LETTERS}
 * @param channel the channel it holds for
 * @param value what was measured: drifted cells, seconds open, or open dead letters
 * @param threshold the configured threshold, in the same unit
 * @param since when the condition began (the oldest report, the circuit's opening, the oldest dead
 *     letter)
 */
record Observation(String condition, String channel, long value, long threshold, Instant since) {
  static final String DRIFT = "reconciliation_drift";
  static final String CIRCUIT_OPEN = "circuit_open";
  static final String DEAD_LETTERS = "dead_letters";

  Observation {
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(since, "since");
  }

  /** The key of the condition in the state table: {@code <condition>/<channel>}. */
  String key() {
    return condition + "/" + channel;
  }
}
