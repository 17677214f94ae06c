package dev.paritysync.core.admission;

import dev.paritysync.core.breaker.Breaker;
import dev.paritysync.core.breaker.BreakerState;
import dev.paritysync.core.quota.QuotaKey;
import java.time.Duration;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** {@link Circuit} over this process's breakers; a watching one only waits while one is open. */
final class BreakerCircuit implements Circuit {
  static final Circuit NONE = new BreakerCircuit(null, RECHECK, false);

  private final @Nullable Function<QuotaKey, Breaker> breakerOf;
  private final Duration recheck;
  private final boolean takesPart;

  BreakerCircuit(@Nullable Function<QuotaKey, Breaker> breakerOf, Duration recheck, boolean part) {
    this.breakerOf = breakerOf;
    this.recheck = recheck;
    this.takesPart = part;
  }

  @Override
  public Pass tryAcquire(QuotaKey key) {
    if (breakerOf == null) {
      return Pass.GRANTED;
    }
    Breaker breaker = breakerOf.apply(key);
    boolean granted = takesPart ? breaker.tryAcquire() : breaker.state() != BreakerState.OPEN;
    if (granted) {
      return Pass.GRANTED;
    }
    Duration wait = breaker.untilHalfOpen();
    return new Pass(wait.isZero() ? recheck : wait, false);
  }

  @Override
  public void release(QuotaKey key, Pass pass) {
    if (breakerOf != null && takesPart) {
      breakerOf.apply(key).release();
    }
  }

  @Override
  public void record(QuotaKey key, Pass pass, boolean healthFailure, Duration latency) {
    if (breakerOf == null || !takesPart) {
      return;
    }
    Breaker breaker = breakerOf.apply(key);
    if (healthFailure) {
      breaker.onFailure(latency);
    } else {
      breaker.onSuccess(latency);
    }
  }
}
