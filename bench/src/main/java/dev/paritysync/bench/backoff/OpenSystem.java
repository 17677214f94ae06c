package dev.paritysync.bench.backoff;

import dev.paritysync.core.backoff.Backoff;
import dev.paritysync.core.budget.RetryBudget;
import dev.paritysync.core.time.VirtualTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The open system the AWS post leaves out: requests arrive as a Poisson process whatever happens to
 * earlier ones, at a server that admits at most {@code capacity} requests per time unit (a token
 * bucket with a small burst) and answers the rest with 429 and a Retry-After of the time until its
 * next token. Optionally each 429 costs the server {@code rejectCost} of a token (the bucket may go
 * into debt), so retries can eat capacity. Clients retry with the core's {@link Backoff}, waiting
 * max(backoff, Retry-After), and optionally ask the core's {@link RetryBudget} before each retry; a
 * refused retry is deferred by {@link RetryBudget#deferral()} and asks again, it is never dropped.
 *
 * <p>The budget's clock is a {@link VirtualTime} moved to each event's time before the event runs.
 * Arrivals stop at the horizon; the run then drains until every request has succeeded or exhausted
 * its retries, or until the drain limit, and counts what is still pending.
 */
final class OpenSystem {
  private static final int ARRIVAL = 0;
  private static final int SEND = 1;
  private static final int AT_SERVER = 2;
  private static final int RESPONSE_OK = 3;
  private static final int RESPONSE_429 = 4;

  private OpenSystem() {}

  /**
   * @param load offered load as a multiple of capacity: arrivals per time unit = load × capacity
   * @param capacityPerUnit requests the server admits per time unit
   * @param burst tokens the bucket holds at most (and starts with)
   * @param rejectCost tokens a 429 consumes; 0 makes rejections free
   * @param budget null for no retry budget
   */
  record Config(
      double load,
      double capacityPerUnit,
      double burst,
      double rejectCost,
      long horizonUnits,
      long drainLimitUnits,
      Backoff backoff,
      Hops hops,
      @Nullable BudgetConfig budget) {}

  /** The retry budget's settings; window in time units. */
  record BudgetConfig(double ratio, int floor, long windowUnits) {
    RetryBudget build(VirtualTime clock) {
      return RetryBudget.builder(clock)
          .withRatio(ratio)
          .withMinRetries(floor)
          .withWindow(Duration.ofNanos(Hops.nanos(windowUnits)))
          .build();
    }
  }

  /** The outcome of one run; latencies (arrival to success) in time units, sorted. */
  record Result(
      long requests,
      long firstAttempts,
      long retries,
      long successes,
      long successesInHorizon,
      long exhausted,
      long pending,
      long deferrals,
      long endNanos,
      double[] latencies) {
    long calls() {
      return firstAttempts + retries;
    }
  }

  private static final class Request {
    final long arrivedNanos;
    int retries;
    Duration previousDelay = Duration.ZERO;

    Request(long arrivedNanos) {
      this.arrivedNanos = arrivedNanos;
    }
  }

  static Result run(Config cfg, long seed) {
    return new Run(cfg, seed).run();
  }

  /** One run's state: the event queue, the server's bucket and the counts. */
  private static final class Run {
    final Config cfg;
    final SplittableRandom arrivalRandom;
    final SplittableRandom hopRandom;
    final SplittableRandom jitterRandom;
    final VirtualTime clock = new VirtualTime();
    final @Nullable RetryBudget budget;
    final long deferralNanos;
    final double arrivalsPerNano;
    final double tokensPerNano;
    final long horizon;
    final long stopAt;
    final EventQueue<Request> events = new EventQueue<>();
    double tokens;
    long tokensAt;
    long requests;
    long firstAttempts;
    long retries;
    long successes;
    long successesInHorizon;
    long exhausted;
    long deferrals;
    double[] latencies = new double[1024];
    long now;

    Run(Config cfg, long seed) {
      this.cfg = cfg;
      SplittableRandom root = new SplittableRandom(seed);
      this.arrivalRandom = root.split();
      this.hopRandom = root.split();
      this.jitterRandom = root.split();
      this.budget = cfg.budget() == null ? null : cfg.budget().build(clock);
      this.deferralNanos = budget == null ? 0 : budget.deferral().toNanos();
      this.arrivalsPerNano = cfg.load() * cfg.capacityPerUnit() / Hops.UNIT_NANOS;
      this.tokensPerNano = cfg.capacityPerUnit() / Hops.UNIT_NANOS;
      this.horizon = Hops.nanos(cfg.horizonUnits());
      this.stopAt = horizon + Hops.nanos(cfg.drainLimitUnits());
      this.tokens = cfg.burst();
    }

    Result run() {
      events.schedule(nextGap(arrivalRandom, arrivalsPerNano), ARRIVAL, null, 0);
      EventQueue.Event<Request> e;
      while ((e = events.poll()) != null) {
        now = e.atNanos();
        if (now > stopAt) {
          now = stopAt;
          break;
        }
        clock.advance(Duration.ofNanos(now - clock.nanoTime()));
        handle(e);
      }
      double[] sorted = Arrays.copyOf(latencies, (int) successes);
      Arrays.sort(sorted);
      long pending = requests - successes - exhausted;
      return new Result(
          requests,
          firstAttempts,
          retries,
          successes,
          successesInHorizon,
          exhausted,
          pending,
          deferrals,
          now,
          sorted);
    }

    void handle(EventQueue.Event<Request> e) {
      if (e.type() == ARRIVAL) {
        arrive(); // an arrival's request does not exist yet: its subject is null
        return;
      }
      Request r = Objects.requireNonNull(e.subject(), "an event after arrival without its request");
      switch (e.type()) {
        case SEND -> send(r); // a retry whose wait is over
        case AT_SERVER -> atServer(r);
        case RESPONSE_OK -> succeeded(r);
        case RESPONSE_429 -> rejected(r, e.aux());
        default -> throw new AssertionError(e.type());
      }
    }

    void arrive() {
      requests++;
      firstAttempts++;
      if (budget != null) {
        budget.onRequest();
      }
      Request r = new Request(now);
      events.schedule(now + cfg.hops().nextNanos(hopRandom), AT_SERVER, r, 0);
      long next = now + nextGap(arrivalRandom, arrivalsPerNano);
      if (next < horizon) {
        events.schedule(next, ARRIVAL, null, 0);
      }
    }

    void send(Request r) {
      if (budget != null && !budget.tryRetry()) {
        deferrals++;
        events.schedule(now + deferralNanos, SEND, r, 0);
        return;
      }
      retries++;
      events.schedule(now + cfg.hops().nextNanos(hopRandom), AT_SERVER, r, 0);
    }

    void atServer(Request r) {
      tokens = Math.min(cfg.burst(), tokens + (now - tokensAt) * tokensPerNano);
      tokensAt = now;
      long back = now + cfg.hops().nextNanos(hopRandom);
      if (tokens >= 1) {
        tokens -= 1;
        events.schedule(back, RESPONSE_OK, r, 0);
      } else {
        tokens -= cfg.rejectCost();
        long retryAfter = (long) Math.ceil((1 - tokens) / tokensPerNano);
        events.schedule(back, RESPONSE_429, r, retryAfter);
      }
    }

    void succeeded(Request r) {
      if (successes == latencies.length) {
        latencies = Arrays.copyOf(latencies, latencies.length * 2);
      }
      latencies[(int) successes++] = Hops.units(now - r.arrivedNanos);
      if (now <= horizon) {
        successesInHorizon++;
      }
    }

    void rejected(Request r, long retryAfter) {
      if (!cfg.backoff().allowsRetry(r.retries)) {
        exhausted++;
        return;
      }
      r.retries++;
      Duration delay = cfg.backoff().delay(r.retries, r.previousDelay, jitterRandom);
      r.previousDelay = delay;
      events.schedule(now + Math.max(delay.toNanos(), retryAfter), SEND, r, 0);
    }
  }

  private static long nextGap(SplittableRandom random, double perNano) {
    // exponential inter-arrival time; 1 - nextDouble() is in (0, 1]
    return Math.max(1, Math.round(-Math.log(1 - random.nextDouble()) / perNano));
  }
}
