package dev.paritysync.bench.chaos;

import dev.paritysync.bench.server.ServeProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The faults of the soak, on a timetable: SIGKILL and restart, the database's write lock held by
 * another program for 10 s, the disk full for 10 s — each at its period with ±30 % jitter, until
 * the plan's length has passed. Returns what it did, one line per event.
 */
final class Chaos {
  private static final Duration EPISODE = Duration.ofSeconds(10);

  /** The soak's length and fault periods; {@code random} draws the jitter. */
  record Plan(
      Duration length,
      Duration killEvery,
      Duration lockEvery,
      Duration fillEvery,
      SplittableRandom random) {
    long seedOf() {
      return random.split().nextLong();
    }
  }

  private final ServeProcess serve;
  private final Faults faults;
  private final Path db;
  private final Probe probe;
  private final Plan plan;

  Chaos(ServeProcess serve, Faults faults, Path db, Probe probe, Plan plan) {
    this.serve = serve;
    this.faults = faults;
    this.db = db;
    this.probe = probe;
    this.plan = plan;
  }

  /** Runs the timetable; prints each event as it happens (a long soak shows its progress). */
  List<String> run() throws Exception {
    List<String> events =
        new ArrayList<>() {
          @Override
          public boolean add(String e) {
            System.out.println("  " + e);
            System.out.flush();
            return super.add(e);
          }
        };
    long start = ChaosSoak.CLOCK.nanoTime();
    long end = start + plan.length().toNanos();
    long nextKill = start + jitter(plan.killEvery());
    long nextLock = start + jitter(plan.lockEvery());
    long nextFill = faults.canFillDisk() ? start + jitter(plan.fillEvery()) : Long.MAX_VALUE;
    while (ChaosSoak.CLOCK.nanoTime() < end) {
      long now = ChaosSoak.CLOCK.nanoTime();
      if (now >= nextKill) {
        probe.suspend(true);
        long t0 = ChaosSoak.CLOCK.nanoTime();
        int status = serve.kill();
        serve.start();
        probe.suspend(false);
        events.add(
            at(start)
                + " SIGKILL (exit "
                + status
                + "), serving again after "
                + millis(t0)
                + " ms");
        nextKill = ChaosSoak.CLOCK.nanoTime() + jitter(plan.killEvery());
      } else if (now >= nextLock) {
        events.add(
            at(start) + " write lock held by another program for " + EPISODE.toSeconds() + " s");
        faults.lockDatabase(db, EPISODE);
        nextLock = ChaosSoak.CLOCK.nanoTime() + jitter(plan.lockEvery());
      } else if (now >= nextFill) {
        events.add(at(start) + " disk full for " + EPISODE.toSeconds() + " s");
        faults.fillDisk(EPISODE);
        nextFill = ChaosSoak.CLOCK.nanoTime() + jitter(plan.fillEvery());
      } else {
        Waits.pause(Duration.ofMillis(500));
      }
    }
    return events;
  }

  private long jitter(Duration every) {
    return (long) (every.toNanos() * (0.7 + 0.6 * plan.random().nextDouble()));
  }

  private static String at(long start) {
    long s = (ChaosSoak.CLOCK.nanoTime() - start) / 1_000_000_000L;
    return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
  }

  private static long millis(long t0) {
    return (ChaosSoak.CLOCK.nanoTime() - t0) / 1_000_000;
  }
}
