package dev.paritysync.core.archviolation;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Date;

/** Every way of reading real time the clock rule forbids, and one it allows. */
public final class ReadsTheSystemClock {
  private ReadsTheSystemClock() {}

  static long millis() {
    return System.currentTimeMillis();
  }

  static long nanos() {
    return System.nanoTime();
  }

  static Instant instant() {
    return Instant.now();
  }

  static LocalDate today() {
    return LocalDate.now();
  }

  static ZonedDateTime zoned() {
    return ZonedDateTime.now();
  }

  static Clock utc() {
    return Clock.systemUTC();
  }

  static Date date() {
    return new Date();
  }

  static void nap() throws InterruptedException {
    Thread.sleep(1);
  }

  /** Allowed: the view of an injected clock. */
  static Instant through(Clock clock) {
    return Instant.now(clock);
  }
}
