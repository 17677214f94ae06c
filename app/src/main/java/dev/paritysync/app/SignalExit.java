package dev.paritysync.app;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

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
   * A registered shutdown hook. A command that ends by itself (its job done, a failure, a test
   * stopping it) closes it: the hook halts the JVM, and left registered it would run at the JVM's
   * later exit and cut short every other hook there — a test JVM's coverage dump was cut mid-write
   * that way, corrupting the file the build's coverage report reads.
   */
  static final class Registration implements AutoCloseable {
    /** Nothing registered: for a command run without signal handling. */
    static final Registration NONE = new Registration(null);

    final @Nullable Thread hook;

    private Registration(@Nullable Thread hook) {
      this.hook = hook;
    }

    /** Unregisters the hook; when the JVM is already shutting down, the hook is what ends it. */
    @Override
    public void close() {
      if (hook == null) {
        return;
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // a signal started the shutdown: the hook runs and ends the process as intended
      }
    }
  }

  /**
   * When {@code enabled}, registers {@code onSignal} as a shutdown hook in a thread named {@code
   * name}; otherwise registers nothing ({@link Registration#NONE}).
   */
  static Registration register(boolean enabled, Runnable onSignal, String name) {
    return enabled ? register(onSignal, name) : Registration.NONE;
  }

  /** Registers {@code onSignal} as a shutdown hook in a thread named {@code name}. */
  static Registration register(Runnable onSignal, String name) {
    Thread hook = new Thread(onSignal, name);
    Runtime.getRuntime().addShutdownHook(hook);
    return new Registration(hook);
  }

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
