package dev.paritysync.bench.backoff;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The closed system of aws-samples/aws-arch-backoff-simulator (Apache-2.0; the simulator behind the
 * AWS Architecture Blog post "Exponential Backoff And Jitter", 2015), modelled as the original does
 * and written anew here. N clients, all starting at time 0, each want one successful write to one
 * optimistic-concurrency row. An attempt is four hops:
 *
 * <ol>
 *   <li>read request: when it reaches the row, the client's read sees the row's version then;
 *   <li>read reply: when it reaches the client, the client sends the write with that version;
 *   <li>write request: when it reaches the row, it is one call; it succeeds if the row's version is
 *       still the one read, and then the version goes up by one;
 *   <li>write reply: when a success reaches the client, the client is done; when a failure does,
 *       the client counts its n-th lost write, sleeps {@link SleepKind#sleepNanos} and sends the
 *       next read request (that hop's time is added to the sleep).
 * </ol>
 *
 * <p>Only writes are calls (reads are not counted), and a run ends, as in the original, when the
 * last event is handled: the arrival of the last successful write's reply. Events at the same time
 * are handled in the order they were scheduled. Time is simulated; nothing here reads a clock.
 */
final class FaithfulClosedSystem {
  private static final int READ_AT_ROW = 0;
  private static final int READ_REPLY = 1;
  private static final int WRITE_AT_ROW = 2;
  private static final int WRITE_REPLY = 3;

  private FaithfulClosedSystem() {}

  /**
   * The outcome of one run.
   *
   * @param calls writes that reached the row, won or lost
   * @param reads reads that reached the row (not calls)
   * @param hops messages delivered, four per attempt
   * @param completionNanos the time the last client learnt its write succeeded
   * @param sleepNanos the sum of all clients' sleeps
   */
  record Result(
      long calls,
      long reads,
      long hops,
      long completionNanos,
      long finalVersion,
      int[] successesPerClient,
      long sleeps,
      long sleepNanos) {
    double completionUnits() {
      return Hops.units(completionNanos);
    }
  }

  private static final class Client {
    final int id;
    long versionRead;
    boolean won;
    int lost;
    long previousSleepNanos;

    Client(int id) {
      this.id = id;
    }
  }

  /**
   * Runs one seeded simulation. Hop times and sleeps draw from two independent streams split from
   * {@code seed}, so kinds run on the same seed share their first hops.
   */
  static Result run(int clients, SleepKind kind, Hops hops, long seed) {
    SplittableRandom root = new SplittableRandom(seed);
    SplittableRandom hopRandom = root.split();
    SplittableRandom sleepRandom = root.split();

    EventQueue<Client> events = new EventQueue<>();
    for (int i = 0; i < clients; i++) {
      events.schedule(hops.nextNanos(hopRandom), READ_AT_ROW, new Client(i), 0);
    }
    long version = 0;
    long calls = 0;
    long reads = 0;
    long delivered = 0;
    long sleeps = 0;
    long sleepTotal = 0;
    long now = 0;
    int[] successes = new int[clients];

    EventQueue.Event<Client> e;
    while ((e = events.poll()) != null) {
      Client c = Objects.requireNonNull(e.subject(), "a closed-system event without its client");
      now = e.atNanos();
      delivered++;
      switch (e.type()) {
        case READ_AT_ROW:
          reads++;
          c.versionRead = version;
          events.schedule(now + hops.nextNanos(hopRandom), READ_REPLY, c, 0);
          break;
        case READ_REPLY:
          events.schedule(now + hops.nextNanos(hopRandom), WRITE_AT_ROW, c, 0);
          break;
        case WRITE_AT_ROW:
          calls++;
          c.won = c.versionRead == version;
          if (c.won) {
            version++;
            successes[c.id]++;
          }
          events.schedule(now + hops.nextNanos(hopRandom), WRITE_REPLY, c, 0);
          break;
        case WRITE_REPLY:
          if (!c.won) {
            c.lost++;
            long sleep = kind.sleepNanos(c.lost, c.previousSleepNanos, sleepRandom);
            c.previousSleepNanos = sleep;
            sleeps++;
            sleepTotal += sleep;
            events.schedule(now + hops.nextNanos(hopRandom) + sleep, READ_AT_ROW, c, 0);
          }
          break;
        default:
          throw new AssertionError(e.type());
      }
    }
    return new Result(calls, reads, delivered, now, version, successes, sleeps, sleepTotal);
  }
}
