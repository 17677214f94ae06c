package dev.paritysync.core.retry;

import dev.paritysync.core.backoff.Backoff;
import dev.paritysync.core.budget.RetryBudget;
import dev.paritysync.core.classify.Action;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.headers.ServerDelay;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Turns one attempt's outcome into what happens next, under a channel's policy: the classified
 * action, and for retries the delay — the server's ({@code Retry-After}, or a rate-limit reset when
 * {@code Remaining} is 0) when the action honours it, else the backoff's. A server wait beyond the
 * channel's ceiling becomes a dead letter {@code wait_too_long}; a retry past the backoff's maximum
 * becomes {@code retries_exhausted}; a second {@code REFRESH_AUTH} for the same call becomes {@code
 * auth}.
 *
 * <p>Pure apart from the randomness of jitter: the caller keeps the {@link State} (in memory, or in
 * a database row so that retries survive restarts). The retry budget is consulted by the caller
 * when a retry falls due, not here. Thread-safe.
 */
public final class RetryDecider {
  private final ChannelPolicy policy;
  private final RetryBudget budget;
  private final RandomGenerator random;

  public RetryDecider(ChannelPolicy policy, RetryBudget budget, RandomGenerator random) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.budget = Objects.requireNonNull(budget, "budget");
    this.random = Objects.requireNonNull(random, "random");
  }

  public ChannelPolicy policy() {
    return policy;
  }

  public RetryBudget budget() {
    return budget;
  }

  /**
   * What a call has been through: retries taken, the previous delay (for decorrelated jitter), and
   * whether credentials were already refreshed once.
   */
  public record State(int retries, Duration previousDelay, boolean authRefreshed) {
    public static State initial() {
      return new State(0, Duration.ZERO, false);
    }
  }

  /** The kinds of decision. */
  public enum Kind {
    ACK,
    RETRY,
    REFRESH_AUTH,
    DEAD_LETTER,
    RECONCILE
  }

  /**
   * A decision.
   *
   * @param action the action taken, as the ledger records it (a converted dead letter shows its
   *     reason)
   * @param delay for {@link Kind#RETRY}, the delay before the next attempt
   * @param serverDelay the wait the server asked for, when the action honours one
   * @param pausesKey whether the whole quota key is paused for {@code serverDelay}
   * @param healthFailure whether the outcome counts against the circuit breaker (5xx, 408,
   *     transport failures — not 429, which is a quota signal, nor 4xx)
   * @param next the state after this decision
   */
  public record Decision(
      Kind kind,
      Action action,
      @Nullable String reason,
      Optional<Duration> delay,
      Optional<Duration> serverDelay,
      boolean pausesKey,
      boolean healthFailure,
      State next) {}

  /** Decides what follows {@code outcome} for a call in {@code state}, at {@code now}. */
  public Decision decide(State state, Outcome outcome, Instant now) {
    Action action = policy.classification().classify(outcome);
    boolean health = outcome.isFailure() || outcome.status() >= 500 || outcome.status() == 408;
    switch (action.kind()) {
      case ACK:
        return simple(Kind.ACK, action, null, health, state);
      case RECONCILE:
        return simple(Kind.RECONCILE, action, null, health, state);
      case DEAD_LETTER:
        return simple(Kind.DEAD_LETTER, action, action.reason(), health, state);
      case REFRESH_AUTH:
        if (state.authRefreshed()) {
          return simple(Kind.DEAD_LETTER, Action.deadLetter("auth"), "auth", health, state);
        }
        return simple(
            Kind.REFRESH_AUTH,
            action,
            null,
            health,
            new State(state.retries(), state.previousDelay(), true));
      case RETRY:
      case RETRY_AFTER:
        Optional<Duration> server =
            action.kind() == Action.Kind.RETRY_AFTER
                ? ServerDelay.requested(outcome.headers(), policy.resetMode(), now)
                : Optional.empty();
        if (server.isPresent() && !policy.waitCeiling().allows(server.get())) {
          return new Decision(
              Kind.DEAD_LETTER,
              Action.deadLetter("wait_too_long"),
              "wait_too_long",
              Optional.empty(),
              server,
              false,
              health,
              state);
        }
        Backoff backoff = policy.backoff();
        if (!backoff.allowsRetry(state.retries())) {
          return new Decision(
              Kind.DEAD_LETTER,
              Action.deadLetter("retries_exhausted"),
              "retries_exhausted",
              Optional.empty(),
              server,
              server.isPresent(),
              health,
              state);
        }
        Duration delay;
        if (server.isPresent()) {
          delay = server.get();
        } else {
          synchronized (random) {
            delay = backoff.delay(state.retries() + 1, state.previousDelay(), random);
          }
        }
        return new Decision(
            Kind.RETRY,
            action,
            null,
            Optional.of(delay),
            server,
            server.isPresent(),
            health,
            new State(state.retries() + 1, delay, state.authRefreshed()));
      default:
        throw new AssertionError(action);
    }
  }

  private static Decision simple(
      Kind kind, Action action, @Nullable String reason, boolean health, State next) {
    return new Decision(
        kind, action, reason, Optional.empty(), Optional.empty(), false, health, next);
  }
}
