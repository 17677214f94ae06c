package dev.paritysync.core.breaker;

import dev.paritysync.core.time.Clock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The circuit breaker of one (channel, endpoint). Ask {@link #tryAcquire()} before a call, and
 * report its end with {@link #onSuccess} or {@link #onFailure}, or give the permission back with
 * {@link #release()} when the call was not made. See {@link BreakerConfig} for when it opens and
 * closes.
 *
 * <p>Built on Resilience4j's count-based circuit breaker, plus a consecutive-failure rule it lacks
 * and two decisions of our own: the move from open to half-open happens on the first {@link
 * #tryAcquire()} once {@link #untilHalfOpen()} is zero (no background thread, and exactly at the
 * injected clock's instant), and any failed probe reopens at once instead of waiting for the other
 * probes. Slow calls are not a reason to open. All time comes from the injected clock.
 *
 * <p>Thread-safe; calls on one breaker are serialised.
 */
public final class Breaker {
  private static final Throwable FAILURE = new CallFailed();
  // Resilience4j's slow-call rule is not ours; a threshold nothing reaches switches it off.
  private static final Duration NEVER_SLOW = Duration.ofDays(3650);

  private final String channel;
  private final String endpoint;
  private final BreakerConfig config;
  private final Clock clock;
  private final Consumer<StateChange> sink;
  private final CircuitBreaker delegate;
  private int consecutiveFailures;
  private long openedAtNanos;

  Breaker(
      String channel,
      String endpoint,
      BreakerConfig config,
      Clock clock,
      Consumer<StateChange> sink) {
    this.channel = channel;
    this.endpoint = endpoint;
    this.config = config;
    this.clock = clock;
    this.sink = sink;
    this.delegate =
        CircuitBreaker.of(
            channel + "/" + endpoint,
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(config.slidingWindowSize())
                .minimumNumberOfCalls(config.minimumCalls())
                .failureRateThreshold(config.failureRateThreshold())
                .permittedNumberOfCallsInHalfOpenState(config.halfOpenCalls())
                .waitDurationInOpenState(config.openDuration())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .slowCallDurationThreshold(NEVER_SLOW)
                .recordException(t -> true)
                .clock(clock.asJavaClock())
                .currentTimestampFunction(c -> clock.nanoTime(), TimeUnit.NANOSECONDS)
                .build());
    delegate
        .getEventPublisher()
        .onStateTransition(
            e ->
                transitioned(
                    map(e.getStateTransition().getFromState()),
                    map(e.getStateTransition().getToState())));
  }

  /**
   * Takes a permission to call: true when closed, or half-open with probes left; false when open or
   * all probes are out. Moves an open breaker to half-open once its open duration has passed.
   */
  public synchronized boolean tryAcquire() {
    if (delegate.getState() == CircuitBreaker.State.OPEN && untilHalfOpen().isZero()) {
      delegate.transitionToHalfOpenState();
    }
    return delegate.tryAcquirePermission();
  }

  /** Gives back a permission taken with {@link #tryAcquire()} for a call that was not made. */
  public synchronized void release() {
    delegate.releasePermission();
  }

  /** Records a successful call; resets the consecutive-failure count. */
  public synchronized void onSuccess(Duration latency) {
    consecutiveFailures = 0;
    delegate.onSuccess(latency.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Records a failed call. It counts toward the failure rate and the consecutive-failure rule; a
   * failed half-open probe reopens the breaker.
   */
  public synchronized void onFailure(Duration latency) {
    BreakerState before = state();
    delegate.onError(latency.toNanos(), TimeUnit.NANOSECONDS, FAILURE);
    BreakerState after = state();
    if (before == BreakerState.HALF_OPEN && after == BreakerState.HALF_OPEN) {
      delegate.transitionToOpenState();
    } else if (before == BreakerState.CLOSED && after == BreakerState.CLOSED) {
      consecutiveFailures++;
      if (consecutiveFailures >= config.consecutiveFailures()) {
        delegate.transitionToOpenState();
      }
    }
  }

  /**
   * Closes the breaker and forgets what it counted: in a cluster, another worker's probe closed the
   * cluster's circuit, and this process's breaker follows.
   */
  public synchronized void reset() {
    consecutiveFailures = 0;
    delegate.reset();
  }

  public BreakerState state() {
    return map(delegate.getState());
  }

  /** How long until an open breaker admits probes; {@link Duration#ZERO} unless open. */
  public synchronized Duration untilHalfOpen() {
    if (delegate.getState() != CircuitBreaker.State.OPEN) {
      return Duration.ZERO;
    }
    long left = config.openDuration().toNanos() - (clock.nanoTime() - openedAtNanos);
    return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
  }

  public String channel() {
    return channel;
  }

  public String endpoint() {
    return endpoint;
  }

  public BreakerConfig config() {
    return config;
  }

  @Override
  public String toString() {
    return "Breaker[" + channel + "/" + endpoint + " " + state() + "]";
  }

  // Resilience4j publishes synchronously on the thread that caused the transition, which holds
  // this breaker's lock; its events carry a system-clock timestamp, so we stamp our own.
  private void transitioned(BreakerState from, BreakerState to) {
    consecutiveFailures = 0;
    if (to == BreakerState.OPEN) {
      openedAtNanos = clock.nanoTime();
    }
    if (from != to) {
      sink.accept(new StateChange(channel, endpoint, from, to, clock.instant()));
    }
  }

  private static BreakerState map(CircuitBreaker.State s) {
    return switch (s) {
      case OPEN, FORCED_OPEN -> BreakerState.OPEN;
      case HALF_OPEN -> BreakerState.HALF_OPEN;
      default -> BreakerState.CLOSED;
    };
  }

  /** What Resilience4j records for a failed call; it never leaves the breaker. */
  private static final class CallFailed extends Exception {
    CallFailed() {
      super("call failed", null, false, false);
    }
  }
}
