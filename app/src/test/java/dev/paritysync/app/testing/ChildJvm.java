package dev.paritysync.app.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@code paritysync} in a child JVM on this test's classpath, for tests that kill it (SIGKILL) or
 * stop it (SIGTERM): every line it prints goes to a consumer on a reader thread (and to this
 * process's stdout with {@code -Dcrash.echo}), stderr to a file whose tail failures quote.
 */
public final class ChildJvm {
  /** The child; {@code destroyForcibly()} is SIGKILL on Linux, {@code destroy()} SIGTERM. */
  public final Process process;

  private final Path stderr;
  private final Thread reader;

  private ChildJvm(Process process, Path stderr, Consumer<String> onLine) {
    this.process = process;
    this.stderr = stderr;
    this.reader = new Thread(() -> read(onLine), "child-jvm-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code paritysync <args>} with {@code env} added to the environment, its stderr in
   * {@code stderr}, each stdout line given to {@code onLine}.
   */
  public static ChildJvm start(
      List<String> args, Map<String, String> env, Path stderr, Consumer<String> onLine)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Xshare:auto");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.paritysync.app.Main");
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.redirectError(stderr.toFile());
    return new ChildJvm(pb.start(), stderr, onLine);
  }

  private void read(Consumer<String> onLine) {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (System.getProperty("crash.echo") != null) {
          System.out.println("child: " + line);
        }
        onLine.accept(line);
      }
    } catch (IOException e) {
      // the process died: that is the point
    }
  }

  /** Waits (up to 10 s) until every line the child printed has been read. */
  public void drain() throws InterruptedException {
    reader.join(10_000);
  }

  /**
   * Waits in real time (the child runs on the real clock) until {@code done}, failing with the
   * child's stderr when it exits first or {@code timeout} passes.
   */
  public void await(String what, Duration timeout, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (!process.isAlive()) {
        drain();
        if (done.getAsBoolean()) {
          return;
        }
        throw new AssertionError(
            "child exited (" + process.exitValue() + ") before " + what + "; stderr: " + tail());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no '" + what + "' within " + timeout + "; stderr: " + tail());
      }
      Thread.sleep(5);
    }
  }

  /** The last 4,000 characters of the child's stderr. */
  public String tail() {
    try {
      String s = Files.readString(stderr);
      return s.length() > 4_000 ? s.substring(s.length() - 4_000) : s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
