package dev.paritysync.store;

import dev.paritysync.core.time.Clock;
import java.security.SecureRandom;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Row ids made by the application, so that SQLite and PostgreSQL need no auto-increment or
 * sequence: 26-character ULIDs (Crockford base32, 48 bits of milliseconds from the given clock,
 * then 80 random bits). They sort by creation time as text; within one millisecond, and if the
 * clock steps back, ids of one clock still increase, because the random part is incremented instead
 * of drawn again. Ids from different processes are unique with overwhelming probability.
 *
 * <p>An id never begins with a millisecond before its clock's time, so retention may find the rows
 * made before an instant by their id ({@link Pruner#idBefore}). The sequence is kept per clock: a
 * process has one (the system clock), while tests run many virtual clocks in one JVM, each of which
 * must stamp its own time rather than the latest any other clock reached.
 *
 * <p>Thread-safe.
 */
public final class Ids {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Map<Clock, Sequence> SEQUENCES = new WeakHashMap<>();

  private Ids() {}

  /** A new id stamped with {@code clock}'s current millisecond. */
  public static String next(Clock clock) {
    long millis = clock.millis();
    long time;
    long high;
    long low;
    synchronized (SEQUENCES) {
      Sequence q = SEQUENCES.computeIfAbsent(clock, k -> new Sequence());
      if (millis > q.lastMillis) {
        q.lastMillis = millis;
        q.randomHigh = RANDOM.nextInt(1 << 16);
        q.randomLow = RANDOM.nextLong();
      } else {
        q.randomLow++;
        if (q.randomLow == 0) {
          q.randomHigh = (q.randomHigh + 1) & 0xFFFF;
        }
      }
      time = q.lastMillis;
      high = q.randomHigh;
      low = q.randomLow;
    }
    char[] out = new char[26];
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    for (int i = 25; i >= 10; i--) {
      out[i] = ALPHABET[(int) (low & 31)];
      low = (low >>> 5) | ((high & 31) << 59);
      high >>>= 5;
    }
    return new String(out);
  }

  /** One clock's last millisecond and random part. */
  private static final class Sequence {
    long lastMillis = Long.MIN_VALUE;
    long randomHigh; // 16 bits
    long randomLow; // 64 bits
  }
}
