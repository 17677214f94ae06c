package dev.paritysync.hotel.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.time.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

/**
 * The polling interval against booking-velocity patterns, on virtual time: a poll task on the
 * scheduler counts the bookings that arrived since the previous poll and schedules the next one at
 * the delay {@link PollInterval} gives. Bookings arrive on a fixed grid, so every run is exact.
 */
class PollIntervalTest {
  private static final Instant EVENING = Instant.parse("2026-03-01T22:00:00Z");
  private static final Duration MIN = Duration.ofSeconds(20);
  private static final Duration MAX = Duration.ofMinutes(5);

  /** One poll: when it ran, how many bookings it brought, and the delay it chose. */
  record Poll(Instant at, int bookings, Duration delay) {}

  /**
   * Polls from {@link #EVENING} for {@code length}, the first poll at once; a booking arrives at
   * every whole second {@code s} (since EVENING) for which {@code booked} holds.
   */
  static List<Poll> run(PollInterval interval, Duration length, LongPredicate booked) {
    VirtualTime time = new VirtualTime(EVENING);
    List<Poll> polls = new ArrayList<>();
    long[] last = {-1}; // the last second already counted
    Runnable[] poll = new Runnable[1];
    poll[0] =
        () -> {
          long now = Duration.between(EVENING, time.instant()).toSeconds();
          int bookings = 0;
          for (long s = last[0] + 1; s <= now; s++) {
            if (booked.test(s)) {
              bookings++;
            }
          }
          Duration elapsed = Duration.ofSeconds(Math.max(1, now - last[0]));
          last[0] = now;
          Duration delay = interval.next(bookings, elapsed);
          polls.add(new Poll(time.instant(), bookings, delay));
          time.schedule(delay, poll[0]);
        };
    time.schedule(Duration.ZERO, poll[0]);
    time.advance(length);
    return polls;
  }

  static PollInterval noJitter() {
    return PollInterval.builder().withJitter(0).build();
  }

  @Test
  void formulaGivesThePinnedSequence() {
    PollInterval interval = noJitter();
    // 3 bookings in a minute: ema 1.5/min → 40 s; then nothing: the ema halves at every poll
    assertThat(interval.next(3, Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(40));
    assertThat(interval.bookingsPerMinute()).isEqualTo(1.5);
    assertThat(interval.next(0, Duration.ofSeconds(40))).isEqualTo(Duration.ofSeconds(80));
    assertThat(interval.next(0, Duration.ofSeconds(80))).isEqualTo(Duration.ofSeconds(160));
    assertThat(interval.next(0, Duration.ofSeconds(160))).isEqualTo(MAX);
    // a busy minute: 12 bookings → ema ≥ 6/min → 10 s, clamped to min
    assertThat(interval.next(12, Duration.ofMinutes(1))).isEqualTo(MIN);
  }

  @Test
  void quietNightDriftsToMax() {
    // busy until 22:30 (a booking every 15 s), then not a single booking until 06:00
    long busyUntil = Duration.ofMinutes(30).toSeconds();
    List<Poll> polls = run(noJitter(), Duration.ofHours(8), s -> s < busyUntil && s % 15 == 0);
    List<Duration> evening = delaysBetween(polls, 0, busyUntil);
    assertThat(evening.subList(2, evening.size())).as("busy evening").containsOnly(MIN);

    List<Duration> night = delaysBetween(polls, busyUntil, Long.MAX_VALUE);
    // the delay only grows once the bookings stop (about doubling), and reaches max by the 6th poll
    assertThat(night).isSortedAccordingTo(Duration::compareTo);
    assertThat(night.get(4)).isGreaterThan(MAX.multipliedBy(9).dividedBy(10));
    assertThat(night.subList(5, night.size())).containsOnly(MAX);
    assertThat(night.get(0)).isLessThan(MAX);
    // seven and a half quiet hours at 5 min each, plus the few polls on the way up
    assertThat(night.size()).isBetween(90, 96);
  }

  @Test
  void morningRushComesDownToMin() {
    // quiet until 07:00 (9 h after EVENING), then a booking every 10 s (6/min) until 09:00
    long rush = Duration.ofHours(9).toSeconds();
    long rushEnd = Duration.ofHours(11).toSeconds();
    List<Poll> polls =
        run(noJitter(), Duration.ofHours(11), s -> s >= rush && s < rushEnd && s % 10 == 0);
    assertThat(delaysBetween(polls, 0, rush)).as("quiet night").containsOnly(MAX);

    // the first poll after 07:00 sees 30 bookings in 5 min: the delay falls to min and stays
    List<Duration> morning = delaysBetween(polls, rush + 1, Long.MAX_VALUE);
    assertThat(morning).hasSizeGreaterThan(300).containsOnly(MIN);
    List<Poll> rushPolls =
        polls.stream().filter(p -> p.at().isAfter(EVENING.plusSeconds(rush))).toList();
    assertThat(rushPolls.subList(1, rushPolls.size()))
        .as("every rush poll brings about 2 bookings (20 s at 6/min)")
        .allSatisfy(p -> assertThat(p.bookings()).isBetween(1, 3));
  }

  @Test
  void suddenSpikeIsCaughtWithinTwoPolls() {
    // quiet, then 30 bookings in the minute after 03:00, then quiet again
    long spike = Duration.ofHours(5).toSeconds();
    List<Poll> polls =
        run(noJitter(), Duration.ofHours(6), s -> s > spike && s <= spike + 60 && s % 2 == 0);
    List<Poll> after =
        polls.stream().filter(p -> p.at().isAfter(EVENING.plusSeconds(spike))).toList();
    assertThat(delaysBetween(polls, 0, spike + 1)).containsOnly(MAX);
    // the first poll after the spike sees 30 bookings in ≤ 5 min: ≥ 3/min → min at once
    assertThat(after.get(0).bookings()).isEqualTo(30);
    assertThat(after.get(0).delay()).isEqualTo(MIN);
    // then quiet: the delay doubles back up to max
    assertThat(after.subList(1, 6).stream().map(Poll::delay).toList())
        .containsExactly(
            Duration.ofSeconds(40), Duration.ofSeconds(80), Duration.ofSeconds(160), MAX, MAX);
  }

  @Test
  void spikeAfterAQuietSpellWithAMildRateTakesTwoPolls() {
    // a moderate burst (6 bookings in the 5 min before a poll) brings 5 min → 100 s → less
    PollInterval interval = noJitter();
    assertThat(interval.next(0, MAX)).isEqualTo(MAX);
    Duration first = interval.next(6, MAX); // 1.2/min → ema 0.6 → 100 s
    assertThat(first).isEqualTo(Duration.ofSeconds(100));
    Duration second = interval.next(4, first); // 2.4/min → ema 1.5 → 40 s
    assertThat(second).isEqualTo(Duration.ofSeconds(40));
  }

  @Test
  void jitterStaysWithinTenPercentAndInsideTheBoundsAndIsSeeded() {
    PollInterval a = PollInterval.builder().withSeed(7).build();
    PollInterval b = PollInterval.builder().withSeed(7).build();
    List<Duration> da = new ArrayList<>();
    List<Duration> db = new ArrayList<>();
    int[] bookings = {0, 3, 1, 0, 0, 0, 20, 10, 5, 0, 0, 0, 0, 0};
    for (int n : bookings) {
      da.add(a.next(n, Duration.ofMinutes(1)));
      db.add(b.next(n, Duration.ofMinutes(1)));
    }
    assertThat(da).isEqualTo(db);
    assertThat(da).allSatisfy(d -> assertThat(d).isBetween(MIN, MAX));
    assertThat(da.get(0)).isBetween(MAX.multipliedBy(9).dividedBy(10), MAX);
    assertThat(da.stream().distinct().count()).as("jittered, not all equal").isGreaterThan(5);
    PollInterval other = PollInterval.builder().withSeed(8).build();
    List<Duration> dc = new ArrayList<>();
    for (int n : bookings) {
      dc.add(other.next(n, Duration.ofMinutes(1)));
    }
    assertThat(dc).isNotEqualTo(da);
  }

  @Test
  void afterFailureKeepsTheAverage() {
    PollInterval interval = noJitter();
    interval.next(3, Duration.ofMinutes(1));
    assertThat(interval.afterFailure()).isEqualTo(Duration.ofSeconds(40));
    assertThat(interval.bookingsPerMinute()).isEqualTo(1.5);
  }

  @Test
  void badSettingsNameTheSetting() {
    assertThatThrownBy(() -> PollInterval.builder().withMin(Duration.ZERO).build())
        .hasMessage("min must be positive, was PT0S");
    assertThatThrownBy(() -> PollInterval.builder().withMax(Duration.ofSeconds(10)).build())
        .hasMessage("max (PT10S) must not be below min (PT20S)");
    assertThatThrownBy(() -> PollInterval.builder().withAlpha(0).build())
        .hasMessage("alpha must be in (0, 1], was 0.0");
    assertThatThrownBy(() -> PollInterval.builder().withJitter(1).build())
        .hasMessage("jitter must be in [0, 1), was 1.0");
    assertThatThrownBy(() -> PollInterval.builder().withBookingsPerPoll(-1).build())
        .hasMessage("bookingsPerPoll must be positive, was -1.0");
    assertThatThrownBy(() -> noJitter().next(-1, MAX)).hasMessage("bookings must be >= 0, was -1");
    assertThatThrownBy(() -> noJitter().next(0, Duration.ZERO))
        .hasMessage("elapsed must be positive, was PT0S");
  }

  /** The delays chosen by polls at seconds in [from, to) since EVENING. */
  private static List<Duration> delaysBetween(List<Poll> polls, long from, long to) {
    return polls.stream()
        .filter(
            p -> {
              long s = Duration.between(EVENING, p.at()).toSeconds();
              return s >= from && s < to;
            })
        .map(Poll::delay)
        .toList();
  }
}
