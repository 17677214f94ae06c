package dev.paritysync.core.admission;

import dev.paritysync.core.breaker.Breaker;
import dev.paritysync.core.breaker.BreakerConfig;
import dev.paritysync.core.breaker.Breakers;
import dev.paritysync.core.quota.QuotaKey;
import java.time.Duration;

/**
 * The circuit as the {@link AdmissionGate} asks it: a permission per request, given back when the
 * request was not sent, and told every answer. {@link #of(Breaker)} is one process's breaker; a
 * cluster implements it over its shared circuit. Implementations are thread-safe.
 */
public interface Circuit {

  /** How long the circuit waits before it asks an open breaker again when no wait is known. */
  Duration RECHECK = Duration.ofSeconds(1);

  /**
   * Takes a permission for a request of {@code key}: granted when closed, or when this request is
   * the probe of an open circuit whose wait is over; otherwise how long to wait.
   */
  Pass tryAcquire(QuotaKey key);

  /** Gives back the permission {@code pass} of a request of {@code key} that was not sent. */
  void release(QuotaKey key, Pass pass);

  /** Counts the answer to a request of {@code key} sent with {@code pass}. */
  void record(QuotaKey key, Pass pass, boolean healthFailure, Duration latency);

  /**
   * What the circuit said.
   *
   * @param delay zero when granted, else how long until asking again makes sense
   * @param probe whether the request is the one probe of an open circuit (a cluster's)
   */
  record Pass(Duration delay, boolean probe) {
    /** A permission for an ordinary request. */
    public static final Pass GRANTED = new Pass(Duration.ZERO, false);

    /** Whether the request may go. */
    public boolean granted() {
      return delay.isZero();
    }
  }

  /** No circuit: every request may go. */
  static Circuit none() {
    return BreakerCircuit.NONE;
  }

  /** {@code breaker} for every key; an open one without a known wait is asked again after 1 s. */
  static Circuit of(Breaker breaker) {
    return new BreakerCircuit(k -> breaker, RECHECK, true);
  }

  /**
   * The breaker of each key's (channel, endpoint) from {@code breakers}, configured by {@code
   * config}; an open one without a known wait is asked again after {@code recheck}.
   */
  static Circuit perEndpoint(Breakers breakers, BreakerConfig config, Duration recheck) {
    return new BreakerCircuit(k -> breakers.get(k.channel(), k.endpoint(), config), recheck, true);
  }

  /**
   * Watches {@code breaker} without taking part: requests wait while it is open, take no permission
   * and are not counted — for reads that must not probe or trip the pushes' circuit.
   */
  static Circuit watching(Breaker breaker) {
    return new BreakerCircuit(k -> breaker, RECHECK, false);
  }
}
