package dev.paritysync.hotel.engine;

import dev.paritysync.core.time.Scheduler;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel's delivery loop on the engine's {@link Scheduler}: each run forms batches from the
 * outbox (unless the circuit rests) and delivers what is due with every slot kept busy ({@link
 * DeliveryWorker#deliver}), then runs again at once when it did work, or after a tick. Holds
 * nothing while verify before resume holds the channel. Runs hold the lane's monitor, so {@link
 * #cancel()} waits for a run in progress. Thread-safe.
 */
final class Lane implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Lane.class);

  final String channel;
  final Batcher batcher;
  final DeliveryWorker worker;
  final Admission admission;
  private final ResumeGate resumeGate;
  private final Scheduler scheduler;
  private final Duration tick;
  private Scheduler.@Nullable Cancellable next;
  private boolean cancelled;

  Lane(
      String channel,
      Batcher batcher,
      DeliveryWorker worker,
      Admission admission,
      ResumeGate resumeGate,
      Scheduler scheduler,
      Duration tick) {
    this.channel = channel;
    this.batcher = batcher;
    this.worker = worker;
    this.admission = admission;
    this.resumeGate = resumeGate;
    this.scheduler = scheduler;
    this.tick = tick;
  }

  /**
   * How many requests one run sends at most, in slots: between runs the lane forms new batches and
   * {@link #cancel()} may stop it, so a run stays short (16 round trips).
   */
  static final int SENDS_PER_RUN = 16;

  // cancel() waits for the lane's monitor, so a run in progress needs no check of it here
  private boolean mayContinue() {
    return !resumeGate.holding(channel) && !admission.held();
  }

  synchronized boolean step() {
    if (resumeGate.holding(channel) || admission.held()) {
      return false; // verify before resume: nothing is batched or claimed until it is done
    }
    // While the circuit is open, cells coalesce in the outbox: a batch formed now would carry a
    // version that a later change supersedes before the channel is back. Once it may probe,
    // batches are formed again, else nothing would ever probe.
    int formed = admission.resting() ? 0 : batcher.formBatches().size();
    int sent = worker.deliver(SENDS_PER_RUN * worker.concurrency(), this::mayContinue);
    return formed > 0 || sent > 0;
  }

  // Runs hold the lane's monitor, so cancel() waits for a run in progress: close() returns only
  // when no loop touches the database any more.
  @Override
  public synchronized void run() {
    if (cancelled) {
      return;
    }
    boolean busy = false;
    try {
      busy = step();
    } catch (RuntimeException e) {
      // Claimed batches stay leased and come back when the lease expires; try again next tick.
      log.warn("delivery loop of channel {} failed; retrying in {}", channel, tick, e);
    } finally {
      schedule(busy ? Duration.ZERO : tick);
    }
  }

  synchronized void schedule(Duration delay) {
    if (!cancelled) {
      next = scheduler.schedule(delay, this);
    }
  }

  synchronized void cancel() {
    cancelled = true;
    if (next != null) {
      next.cancel();
    }
  }
}
