package dev.paritysync.bench.backoff;

import dev.paritysync.core.backoff.Backoff;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The closed system of the AWS post "Exponential Backoff And Jitter" (2015): N clients contend for
 * one optimistic-concurrency row. Each client wants one successful write. An attempt is a read (one
 * hop; the client learns the version current when the read reaches the row) followed by a
 * conditional write (one hop; it succeeds only if the version is unchanged when the write reaches
 * the row, and then increments it). A client whose write loses waits {@link Backoff#delay} and
 * starts again from the read. All clients start at time 0.
 *
 * <p>A call is one read or one write; {@link Result#calls()} counts both.
 */
final class ClosedSystem {
  private static final int READ_SENT = 0;
  private static final int READ_DONE = 1;
  private static final int WRITE_ARRIVES = 2;

  private ClosedSystem() {}

  /** The outcome of one run. */
  record Result(
      long reads,
      long writes,
      long completionNanos,
      long finalVersion,
      int[] successesPerClient,
      long retries) {
    long calls() {
      return reads + writes;
    }

    double completionUnits() {
      return Hops.units(completionNanos);
    }
  }

  private static final class Client {
    final int id;
    long versionRead;
    int retries;
    Duration previousDelay = Duration.ZERO;

    Client(int id) {
      this.id = id;
    }
  }

  /**
   * Runs one seeded simulation. Hop times and jitter draw from two independent streams split from
   * {@code seed}.
   */
  static Result run(int clients, Backoff backoff, Hops hops, long seed) {
    SplittableRandom root = new SplittableRandom(seed);
    SplittableRandom hopRandom = root.split();
    SplittableRandom jitterRandom = root.split();

    EventQueue<Client> events = new EventQueue<>();
    for (int i = 0; i < clients; i++) {
      events.schedule(0, READ_SENT, new Client(i), 0);
    }
    long version = 0;
    long reads = 0;
    long writes = 0;
    long retries = 0;
    long completion = 0;
    int[] successes = new int[clients];

    EventQueue.Event<Client> e;
    while ((e = events.poll()) != null) {
      Client c = e.subject();
      long now = e.atNanos();
      switch (e.type()) {
        case READ_SENT:
          reads++;
          events.schedule(now + hops.nextNanos(hopRandom), READ_DONE, c, 0);
          break;
        case READ_DONE:
          c.versionRead = version;
          writes++;
          events.schedule(now + hops.nextNanos(hopRandom), WRITE_ARRIVES, c, 0);
          break;
        case WRITE_ARRIVES:
          if (c.versionRead == version) {
            version++;
            successes[c.id]++;
            completion = Math.max(completion, now);
          } else {
            if (!backoff.allowsRetry(c.retries)) {
              throw new IllegalStateException(
                  "client " + c.id + " ran out of retries: " + backoff.maxRetries());
            }
            c.retries++;
            retries++;
            Duration delay = backoff.delay(c.retries, c.previousDelay, jitterRandom);
            c.previousDelay = delay;
            events.schedule(now + delay.toNanos(), READ_SENT, c, 0);
          }
          break;
        default:
          throw new AssertionError(e.type());
      }
    }
    return new Result(reads, writes, completion, version, successes, retries);
  }
}
