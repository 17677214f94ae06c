package dev.paritysync.app.ops;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's {@code promtool}, found on {@code PATH} (Debian's {@code prometheus} package puts it
 * in /usr/bin; {@code .ci/run} installs it). A test that needs it and does not find it is skipped,
 * saying so.
 */
final class Promtool {
  private Promtool() {}

  /** What a run printed (stdout and stderr together) and how it exited. */
  record Run(int exit, String output) {}

  /** Runs {@code promtool <args>} in {@code dir}, at most a minute; skips the test without it. */
  static Run run(Path dir, String... args) {
    return run(dir, null, args);
  }

  /**
   * Runs {@code promtool <args>} in {@code dir} with {@code input} (null: none) as its standard
   * input, at most a minute; skips the test without it.
   */
  static Run run(Path dir, Path input, String... args) {
    Path promtool = find();
    assumeTrue(
        promtool != null,
        "promtool is not on PATH: skipping the Prometheus rule checks"
            + " (apt-get install prometheus; .ci/run installs it)");
    List<String> command = new ArrayList<>();
    command.add(promtool.toString());
    command.addAll(List.of(args));
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
      if (input != null) {
        pb.redirectInput(input.toFile());
      }
      Process p = pb.redirectErrorStream(true).start();
      if (input == null) {
        p.getOutputStream().close();
      }
      byte[] out = p.getInputStream().readAllBytes(); // until it exits and closes its output
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
      }
      return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + command, e);
    }
  }

  /** The first executable {@code promtool} on {@code PATH}, or null. */
  static Path find() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "promtool");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
