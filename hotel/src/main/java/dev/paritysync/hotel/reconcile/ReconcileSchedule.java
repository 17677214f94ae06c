package dev.paritysync.hotel.reconcile;

import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs reconciliation on a timetable: a full scan of {@code fullDays} days from today every night
 * at {@code nightlyAt} (UTC), and light scans of the next {@code lightDays} days every {@code
 * lightEvery} through the day. Each scan is a {@link Reconciler#run} over every channel and the
 * given properties; its report goes to {@code onReport} (it is stored and ledgered by the
 * reconciler either way). A scan that fails is logged and the timetable goes on; a scan still
 * running when the next one is due is not doubled — the next one waits for its own time.
 *
 * <p>Everything waits on the injected {@link Scheduler}; nothing sleeps. Thread-safe.
 */
// Written by hand: the two timers are a handful of lines on the engine's own Scheduler, which is
// what tests drive on virtual time; a cron library would bring its own threads and clock.
public final class ReconcileSchedule implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReconcileSchedule.class);

  /**
   * The timetable. Immutable.
   *
   * @param nightlyAt the UTC time of the nightly full scan
   * @param fullDays how many days from today the full scan covers, at least 1
   * @param lightEvery how often a light scan runs; zero for none
   * @param lightDays how many days from today a light scan covers, at least 1
   */
  public record Timetable(LocalTime nightlyAt, int fullDays, Duration lightEvery, int lightDays) {
    /** Nightly at 03:00 UTC over 365 days; light scans of 14 days every 2 hours. */
    public static final Timetable DEFAULTS =
        new Timetable(LocalTime.of(3, 0), 365, Duration.ofHours(2), 14);

    public Timetable {
      Objects.requireNonNull(nightlyAt, "nightlyAt");
      Objects.requireNonNull(lightEvery, "lightEvery");
      if (fullDays < 1) {
        throw new IllegalArgumentException("fullDays must be at least 1, was " + fullDays);
      }
      if (lightDays < 1) {
        throw new IllegalArgumentException("lightDays must be at least 1, was " + lightDays);
      }
      if (lightEvery.isNegative()) {
        throw new IllegalArgumentException("lightEvery must not be negative, was " + lightEvery);
      }
    }
  }

  private final Reconciler reconciler;
  private final List<String> properties;
  private final Timetable timetable;
  private final Clock clock;
  private final Scheduler scheduler;
  private final Consumer<ReconciliationReport> onReport;
  private final Object lock = new Object();
  private Scheduler.@Nullable Cancellable nightly;
  private Scheduler.@Nullable Cancellable light;
  private boolean running;
  private boolean closed;

  /** A schedule of {@code reconciler} over {@code properties}; {@link #start()} starts it. */
  public ReconcileSchedule(
      Reconciler reconciler,
      List<String> properties,
      Timetable timetable,
      Clock clock,
      Scheduler scheduler,
      Consumer<ReconciliationReport> onReport) {
    this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
    this.properties = List.copyOf(properties);
    this.timetable = Objects.requireNonNull(timetable, "timetable");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.onReport = Objects.requireNonNull(onReport, "onReport");
  }

  /** Schedules the next nightly scan and, if any, the first light scan. */
  public void start() {
    synchronized (lock) {
      scheduleNightly();
      if (!timetable.lightEvery().isZero()) {
        light = scheduler.schedule(timetable.lightEvery(), this::lightScan);
      }
    }
  }

  /** How long until the next nightly scan, from now. */
  Duration untilNightly() {
    LocalDateTime now = LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    LocalDateTime next = now.toLocalDate().atTime(timetable.nightlyAt());
    if (!next.isAfter(now)) {
      next = next.plusDays(1);
    }
    return Duration.between(now, next);
  }

  private void scheduleNightly() {
    nightly = scheduler.schedule(untilNightly(), this::nightlyScan);
  }

  private void nightlyScan() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      scheduleNightly();
    }
    scan("nightly", timetable.fullDays());
  }

  private void lightScan() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      light = scheduler.schedule(timetable.lightEvery(), this::lightScan);
    }
    scan("light", timetable.lightDays());
  }

  private void scan(String kind, int days) {
    synchronized (lock) {
      if (running) {
        LOG.info("reconciliation {} scan skipped: the previous scan is still running", kind);
        return;
      }
      running = true;
    }
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    try {
      reconciler
          .run(List.of(), properties, today, today.plusDays(days - 1L))
          .whenComplete(
              (report, failure) -> {
                synchronized (lock) {
                  running = false;
                }
                if (failure != null) {
                  LOG.warn("reconciliation {} scan failed: {}", kind, failure.toString());
                } else {
                  onReport.accept(report);
                }
              });
    } catch (RuntimeException e) {
      synchronized (lock) {
        running = false;
      }
      LOG.warn("reconciliation {} scan failed: {}", kind, e.toString());
    }
  }

  /** Stops the timetable; a scan in progress finishes. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      if (nightly != null) {
        nightly.cancel();
      }
      if (light != null) {
        light.cancel();
      }
    }
  }
}
