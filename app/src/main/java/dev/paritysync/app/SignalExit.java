package dev.paritysync.app;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * How a long-running command ({@code run}, {@code serve}) ends after SIGTERM or SIGINT: its
 * shutdown hook waits for the command to finish stopping, then reports a completed drain as exit
 * status 0. A JVM ended by a signal otherwise exits 128 + the signal (143 for SIGTERM) whatever its
 * hooks do; {@link Runtime#halt} from the hook is the one way to say "stopped cleanly" to a
 * supervisor (systemd, Kubernetes) that reads the status. A drain that did not complete, or took
 * longer than allowed, leaves the signal's status.
 */
final class SignalExit {
  private SignalExit() {}

  /**
   * Waits up to {@code wait} for {@code stopped}; when it came in time and {@code drained} holds,
   * flushes standard output and error and halts with status 0.
   */
  static void afterStop(
      CountDownLatch stopped, BooleanSupplier drained, Duration wait, PrintStream err) {
    try {
      if (!stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        err.println("paritysync: shutdown took longer than " + wait + "; exiting");
        err.flush();
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (drained.getAsBoolean()) {
      System.out.flush();
      err.flush();
      // The last work of the process is done (stores closed, telemetry flushed, "stopped"
      // printed); other hooks are cut short, which is why this runs only after a clean stop.
      Runtime.getRuntime().halt(0);
    }
  }
}
