package dev.paritysync.core.time;

import java.time.Instant;
import java.time.ZoneId;

/** Adapts a paritysync {@link Clock} to {@link java.time.Clock} for libraries that want one. */
final class JavaClockView extends java.time.Clock {
  private final Clock clock;
  private final ZoneId zone;

  JavaClockView(Clock clock, ZoneId zone) {
    this.clock = clock;
    this.zone = zone;
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public java.time.Clock withZone(ZoneId zone) {
    return new JavaClockView(clock, zone);
  }

  @Override
  public Instant instant() {
    return clock.instant();
  }

  @Override
  public long millis() {
    return clock.millis();
  }
}
