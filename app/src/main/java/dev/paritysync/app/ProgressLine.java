package dev.paritysync.app;

import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Progress of a long command on standard error. On a terminal ({@code System.console() != null})
 * one line that is rewritten in place ({@code \r}) with each {@link #status}; otherwise (a log, a
 * pipe) the status as a line of its own at most once per interval, and {@link #heartbeat} repeats
 * it when nothing was printed for an interval, so a command is never silent for longer. {@link
 * #event}s (a retry, a wait) are always printed as lines of their own. Time is read from the clock
 * given. Thread-safe: a retry is heard on the scheduler's thread.
 */
final class ProgressLine implements AutoCloseable {
  /** How often a status line is logged when standard error is not a terminal: every 5 seconds. */
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

  private final PrintWriter err;
  private final boolean terminal;
  private final Clock clock;
  private final long intervalNanos;
  private @Nullable String status;
  private boolean drawn;
  private int width;
  private long lastLine;
  private long statusAt;
  private boolean closed;

  ProgressLine(PrintWriter err, boolean terminal, Clock clock, Duration interval) {
    this.err = Objects.requireNonNull(err, "err");
    this.terminal = terminal;
    this.clock = Objects.requireNonNull(clock, "clock");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("progress interval must be positive: " + interval);
    }
    this.intervalNanos = interval.toNanos();
    this.lastLine = clock.nanoTime();
  }

  /** Progress on {@code err}, as a line rewritten in place when this process has a console. */
  static ProgressLine onConsole(PrintWriter err, Clock clock) {
    return new ProgressLine(err, System.console() != null, clock, DEFAULT_INTERVAL);
  }

  /** Whether the status is drawn in place. */
  boolean terminal() {
    return terminal;
  }

  /** The command's state now, e.g. {@code rpt-1: page 3, 300/2000 rows}. */
  synchronized void status(String text) {
    if (closed) {
      return;
    }
    if (!text.equals(status)) {
      statusAt = clock.nanoTime();
    }
    status = text;
    if (terminal) {
      draw(text);
    } else if (clock.nanoTime() - lastLine >= intervalNanos) {
      line(text);
    }
  }

  /** Something that happened and must be seen, e.g. a retry and the wait before the next one. */
  synchronized void event(String text) {
    if (terminal && drawn) {
      err.print("\r" + " ".repeat(width) + "\r");
      drawn = false;
    }
    line(text);
    String shown = status;
    if (terminal && shown != null) {
      draw(shown);
    }
  }

  /**
   * Called on a timer: when not on a terminal and nothing was printed for an interval, prints the
   * status again with how long it has held.
   */
  synchronized void heartbeat() {
    long now = clock.nanoTime();
    if (terminal || status == null || now - lastLine < intervalNanos) {
      return;
    }
    line(
        now - statusAt >= intervalNanos
            ? status + " (for " + seconds(now - statusAt) + ")"
            : status);
  }

  /**
   * Calls {@link #heartbeat} on {@code scheduler} every interval until this is closed, so a long
   * step that reports no status of its own still shows, in a log, that the command is alive.
   */
  void repeatOn(Scheduler scheduler) {
    scheduler.schedule(
        Duration.ofNanos(intervalNanos),
        () -> {
          if (!closed()) {
            heartbeat();
            repeatOn(scheduler);
          }
        });
  }

  /**
   * Takes the line drawn in place off the terminal and forgets the status, before the command
   * prints a result of its own.
   */
  synchronized void clear() {
    if (terminal && drawn) {
      err.print("\r" + " ".repeat(width) + "\r");
      err.flush();
      drawn = false;
    }
    status = null;
  }

  /** Whether {@link #close} was called: a timer stops calling {@link #heartbeat}. */
  synchronized boolean closed() {
    return closed;
  }

  /** Ends the line drawn in place, if any; later calls print nothing. */
  @Override
  public synchronized void close() {
    closed = true;
    status = null;
    if (terminal && drawn) {
      err.println();
      err.flush();
      drawn = false;
    }
  }

  private void draw(String text) {
    int pad = Math.max(0, width - text.length());
    err.print("\r" + text + " ".repeat(pad));
    err.flush();
    width = text.length();
    drawn = true;
  }

  private void line(String text) {
    err.println(text);
    err.flush();
    lastLine = clock.nanoTime();
  }

  static String seconds(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
  }
}
