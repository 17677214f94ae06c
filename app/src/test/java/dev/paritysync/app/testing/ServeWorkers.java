package dev.paritysync.app.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several {@code paritysync serve} child JVMs on one configuration (and so one database): each on a
 * free port, known by the {@code serving http://host:port} line it prints. A worker can be killed
 * (SIGKILL) and started again; {@link #randomLive} picks among those serving. Thread-safe.
 */
public final class ServeWorkers implements AutoCloseable {
  private static final Pattern SERVING = Pattern.compile("^serving (http://\\S+)");

  private final Path config;
  private final Path logs;
  private final Map<String, String> env;
  private final List<Slot> slots = new ArrayList<>();

  /** One worker: its current JVM (null when stopped), its address once it serves. */
  private static final class Slot {
    volatile ChildJvm jvm;
    volatile URI uri;
    final AtomicInteger starts = new AtomicInteger();
  }

  /**
   * {@code n} workers (not started) of {@code config}, with {@code env} added to their environment,
   * their stderr in {@code logs/worker-<i>-<start>.log}.
   */
  public ServeWorkers(int n, Path config, Path logs, Map<String, String> env) {
    this.config = config;
    this.logs = logs;
    this.env = Map.copyOf(env);
    for (int i = 0; i < n; i++) {
      slots.add(new Slot());
    }
  }

  /** Starts every worker at once (so their migrations race, as a deployment's do). */
  public void startAll() throws IOException {
    for (int i = 0; i < slots.size(); i++) {
      start(i);
    }
  }

  /** Starts worker {@code i} (again); it joins {@link #randomLive} once it prints its address. */
  public synchronized void start(int i) throws IOException {
    Slot slot = slots.get(i);
    if (slot.jvm != null && slot.jvm.process.isAlive()) {
      throw new IllegalStateException("worker " + i + " is running");
    }
    slot.uri = null;
    int n = slot.starts.incrementAndGet();
    slot.jvm =
        ChildJvm.start(
            List.of("serve", "--config", config.toString(), "--port", "0"),
            env,
            logs.resolve("worker-" + i + "-" + n + ".log"),
            line -> {
              Matcher m = SERVING.matcher(line);
              if (m.find()) {
                slot.uri = URI.create(m.group(1));
              }
            });
  }

  /** Waits in real time until every started worker serves, failing with a worker's stderr. */
  public void awaitServing(Duration timeout) throws InterruptedException {
    for (int i = 0; i < slots.size(); i++) {
      awaitServing(i, timeout);
    }
  }

  /** Waits in real time until worker {@code i} serves, failing with its stderr. */
  public void awaitServing(int i, Duration timeout) throws InterruptedException {
    Slot slot = slots.get(i);
    slot.jvm.await("worker " + i + " serving", timeout, () -> slot.uri != null);
  }

  /** Kills worker {@code i} with SIGKILL and waits for it to die; returns its exit status. */
  public int kill(int i) throws InterruptedException {
    Slot slot = slots.get(i);
    ChildJvm jvm = slot.jvm;
    jvm.process.destroyForcibly(); // SIGKILL on Linux
    if (!jvm.process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("worker " + i + " did not die within 30 s of SIGKILL");
    }
    slot.uri = null;
    return jvm.process.exitValue();
  }

  /**
   * Stops every running worker with SIGTERM, waiting up to {@code timeout} for each; returns the
   * exit statuses (null for one not running).
   */
  public List<Integer> stopAll(Duration timeout) throws InterruptedException {
    for (Slot s : slots) {
      if (s.jvm != null) {
        s.uri = null;
        s.jvm.process.destroy();
      }
    }
    List<Integer> out = new ArrayList<>();
    for (Slot s : slots) {
      if (s.jvm == null) {
        out.add(null);
        continue;
      }
      if (!s.jvm.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        s.jvm.process.destroyForcibly();
        s.jvm.process.waitFor(10, TimeUnit.SECONDS);
      }
      out.add(s.jvm.process.exitValue());
    }
    return out;
  }

  /** The address of a worker that serves now, picked by {@code random}; null when none does. */
  public URI randomLive(Random random) {
    List<URI> live = new ArrayList<>();
    for (Slot s : slots) {
      URI u = s.uri;
      if (u != null) {
        live.add(u);
      }
    }
    return live.isEmpty() ? null : live.get(random.nextInt(live.size()));
  }

  /** Worker {@code i}'s address, when it serves. */
  public URI uri(int i) {
    return slots.get(i).uri;
  }

  /** The tail of worker {@code i}'s current stderr, for failure messages. */
  public String tail(int i) {
    ChildJvm jvm = slots.get(i).jvm;
    return jvm == null ? "(not started)" : jvm.tail();
  }

  /** Kills (SIGKILL) whatever still runs. */
  @Override
  public void close() {
    for (Slot s : slots) {
      if (s.jvm != null) {
        s.jvm.process.destroyForcibly();
      }
    }
  }
}
