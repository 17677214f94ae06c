package dev.paritysync.store;

import dev.paritysync.core.time.Clock;
import java.security.SecureRandom;

/**
 * Row ids made by the application, so that SQLite and PostgreSQL need no auto-increment or
 * sequence: 26-character ULIDs (Crockford base32, 48 bits of milliseconds from the given clock,
 * then 80 random bits). They sort by creation time as text; within one millisecond, and if the
 * clock steps back, ids from this process still increase, because the random part is incremented
 * instead of drawn again. Ids from different processes are unique with overwhelming probability.
 *
 * <p>Thread-safe.
 */
public final class Ids {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Object LOCK = new Object();
  private static long lastMillis = Long.MIN_VALUE;
  private static long randomHigh; // 16 bits
  private static long randomLow; // 64 bits

  private Ids() {}

  /** A new id stamped with {@code clock}'s current millisecond. */
  public static String next(Clock clock) {
    long millis = clock.millis();
    long time;
    long high;
    long low;
    synchronized (LOCK) {
      if (millis > lastMillis) {
        lastMillis = millis;
        randomHigh = RANDOM.nextInt(1 << 16);
        randomLow = RANDOM.nextLong();
      } else {
        randomLow++;
        if (randomLow == 0) {
          randomHigh = (randomHigh + 1) & 0xFFFF;
        }
      }
      time = lastMillis;
      high = randomHigh;
      low = randomLow;
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
}
