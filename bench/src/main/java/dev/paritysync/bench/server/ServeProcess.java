package dev.paritysync.bench.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One {@code paritysync serve} child process at a time for the benches: started (returning once it
 * printed the address it serves), killed with SIGKILL, started again — on the configuration's port,
 * so clients keep their URI across restarts — and stopped with SIGTERM. Thread-safe: every method
 * holds the instance's lock. It configures nothing of its own: the child gets the options, the
 * configuration file and the environment it is given.
 */
public final class ServeProcess {
  private final Path jar;
  private final Path config;
  private final Path logs;
  private final List<String> jvmOptions;
  private final Map<String, String> environment;
  private @Nullable Process process;
  private @Nullable URI base;
  private int starts;

  /**
   * @param logs where each start's stderr goes, as {@code serve-<n>.stderr}
   * @param jvmOptions options for the child JVM ({@code -Xmx256m}), before {@code -jar}
   * @param environment variables added to the child's (the secrets its configuration names)
   */
  public ServeProcess(
      Path jar, Path config, Path logs, List<String> jvmOptions, Map<String, String> environment) {
    this.jar = jar;
    this.config = config;
    this.logs = logs;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.environment = Map.copyOf(environment);
  }

  /**
   * Starts the server and returns once it printed the line naming its address.
   *
   * @throws IllegalStateException when the process exits before serving (its stderr file is named)
   */
  public synchronized void start() throws IOException {
    starts++;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>();
    command.add(java);
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString(), "serve", "--config", config.toString()));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(environment);
    pb.redirectError(logs.resolve("serve-" + starts + ".stderr").toFile());
    Process started = pb.start();
    process = started;
    BufferedReader out =
        new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8));
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

  /**
   * SIGKILL, then waits for the process to be gone; returns its exit status (137).
   *
   * @throws IllegalStateException when {@link #start} has not run yet
   */
  public synchronized int kill() throws InterruptedException {
    Process process = started("kill");
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    return process.exitValue();
  }

  /**
   * SIGTERM, then waits for the drain; returns the exit status (0: drained).
   *
   * @throws IllegalStateException when {@link #start} has not run yet
   */
  public synchronized int stop() throws InterruptedException {
    Process process = started("stop");
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
    return process.exitValue();
  }

  /** Whether the current process is running. */
  public synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  /**
   * Where the current process serves, e.g. {@code http://127.0.0.1:8080}.
   *
   * @throws IllegalStateException when {@link #start} has not succeeded yet
   */
  public synchronized URI base() {
    if (base == null) {
      throw new IllegalStateException("ServeProcess.base(): serve was never started (" + jar + ")");
    }
    return base;
  }

  private Process started(String action) {
    if (process == null) {
      throw new IllegalStateException(
          "ServeProcess." + action + "(): serve was never started (" + jar + ")");
    }
    return process;
  }

  /** How many times {@link #start} ran: the current process's life, from 1. */
  public synchronized int starts() {
    return starts;
  }

  /** The resident set of the process in MiB, from /proc; -1 when it cannot be read. */
  public synchronized long rssMib() {
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
