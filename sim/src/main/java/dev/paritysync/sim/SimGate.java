package dev.paritysync.sim;

import dev.paritysync.core.config.Window;
import dev.paritysync.core.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The checks a simulated channel runs on every request before it looks at the body — auth, quota,
 * outage, fault dice — and what they count for {@link SimStats}: refusals, slow draws, and requests
 * that arrived inside a wait the channel had announced. Used by {@link SimEngine}; thread-safe.
 */
final class SimGate {
  private final SimConfig config;
  private final Clock clock;
  private final @Nullable Tokens tokens;
  private final Quotas quotas;
  private final FaultDice dice;
  private final long startNanos;
  private final AtomicBoolean manualOutage = new AtomicBoolean();
  // Per (property, kind): when (clock nanos) the channel last told clients to wait and until when,
  // and how many requests came later than the announcement but before its end — a client that
  // honours the waits sends none. Requests arriving at the very instant of the announcement may
  // have been sent before the client could know, and do not count.
  private final Map<String, long[]> announced = new ConcurrentHashMap<>();
  private final LongAdder duringAnnouncedWait = new LongAdder();
  private final Queue<Long> lateInWait = new ConcurrentLinkedQueue<>();
  private final LongAdder quotaRefusals = new LongAdder();
  private final LongAdder slow = new LongAdder();

  /**
   * @param tokens the channel's OAuth tokens, or null when it takes none
   */
  SimGate(SimConfig config, Clock clock, @Nullable Tokens tokens) {
    this.config = config;
    this.clock = clock;
    this.tokens = tokens;
    this.quotas = new Quotas(config.quotas(), clock);
    this.dice = new FaultDice(config);
    this.startNanos = clock.nanoTime();
  }

  /** The outcome of the checks every ARI request passes before its body is looked at. */
  record Gate(@Nullable SimResponse stop, Map<String, String> headers, boolean slow) {
    SimResponse deliver(SimResponse r) {
      return slow ? r.slow() : r;
    }
  }

  /**
   * Runs auth, quota, outage and the fault dice for one request of {@code kind} on {@code
   * property}, in that order: the first that fails answers ({@link Gate#stop()}); otherwise the
   * headers every answer carries (Date, rate-limit) and whether the answer is held back as slow.
   */
  Gate admit(
      AriCodec dialect, String kind, String property, @Nullable String authorization, Instant now) {
    String waitKey = property + "/" + kind;
    long[] wait = announced.get(waitKey);
    long nowNanos = clock.nanoTime();
    if (wait != null && wait[0] < nowNanos && nowNanos < wait[1]) {
      duringAnnouncedWait.increment();
      if (duringAnnouncedWait.sum() <= SimStats.MAX_KEPT) {
        lateInWait.add(nowNanos - wait[0]);
      }
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Date", HttpDates.format(now));
    long emptied = 0; // a wait announced by "Remaining: 0" on an admitted request
    if (tokens != null) {
      Tokens.Check check = tokens.check(authorization);
      if (check != Tokens.Check.VALID) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        String code = check == Tokens.Check.MISSING ? "unauthorized" : "invalid_token";
        h.put(
            "WWW-Authenticate",
            check == Tokens.Check.MISSING
                ? "Bearer realm=\"sim\""
                : "Bearer realm=\"sim\", error=\"invalid_token\", error_description=\"token "
                    + (check == Tokens.Check.EXPIRED ? "expired" : "unknown")
                    + "\"");
        return new Gate(
            SimResponse.now(h, 401, dialect.contentType(), dialect.error(code)), headers, false);
      }
    }
    Quotas.Decision quota = quotas.take(property, kind);
    if (quota != null) {
      headers.put("X-RateLimit-Remaining", Long.toString(quota.remaining()));
      headers.put(
          "X-RateLimit-Reset",
          Long.toString(quota.resetNanos() <= 0 ? 0 : HttpDates.ceilSeconds(quota.resetNanos())));
      if (quota.remaining() == 0 && quota.resetNanos() > 0) {
        emptied = quota.resetNanos();
      }
      if (!quota.allowed()) {
        quotaRefusals.increment();
        retryAfter(headers, now, quota.resetNanos());
        announceRetryAfter(waitKey, quota.resetNanos());
        return new Gate(
            SimResponse.now(headers, 429, dialect.contentType(), dialect.error("rate_limited")),
            headers,
            false);
      }
    }
    Duration outageLeft = outageLeft();
    if (outageLeft != null) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      retryAfter(h, now, outageLeft.toNanos());
      announceRetryAfter(waitKey, outageLeft.toNanos());
      return new Gate(
          SimResponse.now(h, 503, dialect.contentType(), dialect.error("service_unavailable")),
          headers,
          false);
    }
    FaultDice.Fault fault = dice.draw();
    SimResponse stop = faulted(fault, dialect, headers, now, waitKey);
    if (fault == FaultDice.Fault.SLOW) {
      slow.increment();
    } else if (emptied > 0 && fault != FaultDice.Fault.RESET) {
      // only a wait the client can read counts: a slow answer may arrive after it gave up
      announce(waitKey, emptied);
    }
    return new Gate(stop, headers, fault == FaultDice.Fault.SLOW);
  }

  /** The answer to a request that drew {@code fault}, or null when it goes on. */
  private @Nullable SimResponse faulted(
      FaultDice.Fault fault,
      AriCodec dialect,
      Map<String, String> headers,
      Instant now,
      String waitKey) {
    return switch (fault) {
      case NONE, SLOW, TRUNCATE -> null; // a channel never draws TRUNCATE
      case S500 ->
          SimResponse.now(headers, 500, dialect.contentType(), dialect.error("internal_error"));
      case S502 ->
          SimResponse.now(headers, 502, dialect.contentType(), dialect.error("bad_gateway"));
      case S503 ->
          SimResponse.now(
              headers, 503, dialect.contentType(), dialect.error("service_unavailable"));
      case S504 ->
          SimResponse.now(headers, 504, dialect.contentType(), dialect.error("gateway_timeout"));
      case S429 -> {
        Map<String, String> h = new LinkedHashMap<>(headers);
        retryAfter(h, now, Duration.ofSeconds(1).toNanos());
        announceRetryAfter(waitKey, Duration.ofSeconds(1).toNanos());
        yield SimResponse.now(h, 429, dialect.contentType(), dialect.error("rate_limited"));
      }
      case RESET -> SimResponse.RESET;
    };
  }

  private @Nullable Duration outageLeft() {
    Duration elapsed = Duration.ofNanos(clock.nanoTime() - startNanos);
    Duration left = null;
    for (Window w : config.outages()) {
      if (w.contains(elapsed)) {
        Duration l = w.to().minus(elapsed);
        left = left == null || l.compareTo(left) > 0 ? l : left;
      }
    }
    if (left == null && manualOutage.get()) {
      // An outage switched on by hand has no known end; ask for a retry in a second.
      left = Duration.ofSeconds(1);
    }
    return left;
  }

  /** Records a wait announced by Retry-After (when this channel sends one). */
  private void announceRetryAfter(String waitKey, long waitNanos) {
    if (config.retryAfterStyle() != SimConfig.RetryAfterStyle.ABSENT) {
      announce(waitKey, waitNanos);
    }
  }

  private void announce(String waitKey, long waitNanos) {
    long now = clock.nanoTime();
    long[] wait = {now, now + waitNanos};
    announced.merge(waitKey, wait, (old, neu) -> old[1] >= neu[1] ? old : neu);
  }

  private void retryAfter(Map<String, String> headers, Instant now, long waitNanos) {
    switch (config.retryAfterStyle()) {
      case SECONDS -> headers.put("Retry-After", Long.toString(HttpDates.ceilSeconds(waitNanos)));
      case HTTP_DATE ->
          headers.put(
              "Retry-After", HttpDates.format(HttpDates.ceilToSecond(now.plusNanos(waitNanos))));
      case ABSENT -> {}
    }
  }

  void setOutage(boolean down) {
    manualOutage.set(down);
  }

  long slow() {
    return slow.sum();
  }

  long duringAnnouncedWait() {
    return duringAnnouncedWait.sum();
  }

  long quotaRefusals() {
    return quotaRefusals.sum();
  }

  Map<String, Long> quotaPeaks() {
    return quotas.peaks();
  }

  List<Long> lateInWait() {
    return List.copyOf(lateInWait);
  }
}
