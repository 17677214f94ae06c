package dev.paritysync.app.demo;

import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.hotel.engine.HotelEngine;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The demo's progress: every channel's counts, printed at most every {@link #EVERY}, and the wait
 * until every channel is settled. Used by one thread.
 */
final class DemoProgress {
  /** The least time between two progress prints. */
  static final Duration EVERY = Duration.ofSeconds(2);

  private final PrintStream out;
  private final HotelEngine engine;
  private final Clock clock;
  private final Scheduler scheduler;
  private final long t0;
  private long lastPrint = Long.MIN_VALUE;

  DemoProgress(HotelEngine engine, Clock clock, Scheduler scheduler, long t0, PrintStream out) {
    this.out = out;
    this.engine = engine;
    this.clock = clock;
    this.scheduler = scheduler;
    this.t0 = t0;
  }

  String elapsed() {
    return String.format(Locale.ROOT, "%5.1fs", (clock.nanoTime() - t0) / 1e9);
  }

  void maybePrint() {
    long now = clock.nanoTime();
    if (lastPrint == Long.MIN_VALUE || now - lastPrint >= EVERY.toNanos()) {
      print();
    }
  }

  Map<String, HotelEngine.ChannelStatus> print() {
    lastPrint = clock.nanoTime();
    Map<String, HotelEngine.ChannelStatus> status = engine.status();
    String at = elapsed();
    boolean first = true;
    for (HotelEngine.ChannelStatus s : status.values()) {
      out.printf(
          Locale.ROOT,
          "[%s] %-8s pending %,6d  in flight %,5d  retrying %3d  dead %2d  reconcile %2d"
              + "  at parity %,6d  requests %,5d  circuit %s%n",
          first ? at : "     ",
          s.channel(),
          s.pendingCells(),
          s.inFlightCells(),
          s.retryingBatches(),
          s.deadLetters(),
          s.reconciliation(),
          s.cellsAtParity(),
          s.requests(),
          s.circuit().name().toLowerCase(Locale.ROOT).replace('_', '-'));
      first = false;
    }
    return status;
  }

  /**
   * Prints progress until every channel is settled, but not before {@code notBeforeNanos} on the
   * clock's nano time (the outage must have ended, or a channel that is down would look settled
   * while its circuit rests). Returns false when {@code limit} passes first.
   */
  boolean awaitSettled(long notBeforeNanos, Duration limit) throws InterruptedException {
    long deadline = clock.nanoTime() + limit.toNanos();
    while (clock.nanoTime() < deadline) {
      Map<String, HotelEngine.ChannelStatus> status = engine.status();
      boolean settled = status.values().stream().allMatch(HotelEngine.ChannelStatus::settled);
      if (settled && clock.nanoTime() - notBeforeNanos >= 0) {
        return true;
      }
      maybePrint();
      pause(scheduler, Duration.ofMillis(250)); // looking again at a human pace
    }
    return false;
  }

  /** Waits {@code d} on {@code scheduler}. */
  static void pause(Scheduler scheduler, Duration d) throws InterruptedException {
    CompletableFuture<Void> done = new CompletableFuture<>();
    scheduler.schedule(d, () -> done.complete(null));
    try {
      done.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }
}
