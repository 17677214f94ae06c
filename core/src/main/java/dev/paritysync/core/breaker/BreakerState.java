package dev.paritysync.core.breaker;

/** The state of a circuit breaker. */
public enum BreakerState {
  /** Calls pass; outcomes are counted. */
  CLOSED,
  /** Calls are refused until the open duration has passed. */
  OPEN,
  /** A few probe calls pass; their outcomes decide between closed and open. */
  HALF_OPEN
}
