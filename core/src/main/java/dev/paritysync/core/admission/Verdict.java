package dev.paritysync.core.admission;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the {@link AdmissionGate} said to one request: admitted now, with the {@link Permit} to give
 * back, or not now — until {@link #until()}, because {@link #reason()}. A refusal for {@link
 * Reason#CONCURRENCY} has no known end: its wait is zero and the caller is woken when a slot frees
 * (see {@link AdmissionGate#admit(dev.paritysync.core.quota.QuotaKey, AdmissionGate.Ask,
 * Runnable)}). Immutable.
 */
public final class Verdict {
  private final @Nullable Reason reason;
  private final Duration delay;
  private final Instant until;
  private final @Nullable Permit permit;

  private Verdict(@Nullable Reason reason, Duration wait, Instant until, @Nullable Permit permit) {
    this.reason = reason;
    this.delay = wait;
    this.until = until;
    this.permit = permit;
  }

  static Verdict admitted(Permit permit, Instant now) {
    return new Verdict(null, Duration.ZERO, now, permit);
  }

  static Verdict refused(Reason reason, Duration wait, Instant now) {
    return new Verdict(Objects.requireNonNull(reason, "reason"), wait, now.plus(wait), null);
  }

  /** Whether the request may go now. */
  public boolean admitted() {
    return reason == null;
  }

  /** Why not now; null when admitted. */
  public @Nullable Reason reason() {
    return reason;
  }

  /** How long until asking again makes sense; zero when admitted or refused for concurrency. */
  public Duration delay() {
    return delay;
  }

  /** When asking again makes sense, in the wall time of the gate's clock. */
  public Instant until() {
    return until;
  }

  /**
   * The permit of an admitted request.
   *
   * @throws IllegalStateException when the request was refused, naming the reason
   */
  public Permit permit() {
    if (permit == null) {
      throw new IllegalStateException("no permit: the request was refused (" + reason + ")");
    }
    return permit;
  }

  @Override
  public String toString() {
    return reason == null
        ? "Verdict[admitted " + permit + "]"
        : "Verdict[" + reason + " " + delay + "]";
  }
}
