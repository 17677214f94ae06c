package dev.paritysync.bench.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code paritysync serve} child process at a time, on a fixed port so clients keep their URI
 * across restarts: started, killed with SIGKILL, started again, stopped with SIGTERM at the end.
 */
final class Serve {
  private final Path jar;
  private final Path config;
  private final Path logs;
  private final String heap;
  private Process process;
  private URI base;
  private int starts;

  Serve(Path jar, Path config, Path logs, String heap) {
    this.jar = jar;
    this.config = config;
    this.logs = logs;
    this.heap = heap;
  }

  /** Starts the server and returns once it printed the line naming its address. */
  synchronized void start() throws IOException {
    starts++;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(
                java,
                "-Xmx" + heap,
                "-jar",
                jar.toString(),
                "serve",
                "--config",
                config.toString()));
    pb.environment().put("CHAOS_KEY", "k");
    pb.redirectError(logs.resolve("serve-" + starts + ".stderr").toFile());
    process = pb.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("serving ")) {
      // wait for the line that names the address
    }
    if (line == null) {
      throw new IllegalStateException(
          "serve exited before serving; see " + logs.resolve("serve-" + starts + ".stderr"));
    }
    base = URI.create(line.substring("serving ".length(), line.indexOf(' ', "serving ".length())));
    Thread drain =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {
                  // keep the pipe empty
                }
              } catch (IOException e) {
                // the process died
              }
            },
            "serve-stdout");
    drain.setDaemon(true);
    drain.start();
  }

  /** SIGKILL, then waits for the process to be gone; returns its exit status. */
  synchronized int kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    return process.exitValue();
  }

  /** SIGTERM, then waits for the drain; returns the exit status (0: drained). */
  synchronized int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
    return process.exitValue();
  }

  synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  synchronized URI base() {
    return base;
  }

  synchronized int starts() {
    return starts;
  }

  /** The resident set of the process in MiB, from /proc; -1 when it cannot be read. */
  synchronized long rssMib() {
    if (process == null || !process.isAlive()) {
      return -1;
    }
    try {
      for (String l :
          Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
