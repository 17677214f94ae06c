package dev.paritysync.core.backoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The bounds of every jitter kind, exactly as {@link Jitter}'s javadoc states them. */
class BackoffPropertiesTest {
  private static final long MAX_CAP_NANOS = Duration.ofMinutes(10).toNanos();

  @Property(tries = 2000)
  void everyDelayIsWithinItsKindsBounds(
      @ForAll("backoffs") Backoff backoff,
      @ForAll @IntRange(min = 1, max = 40) int retries,
      @ForAll long seed) {
    long base = backoff.base().toNanos();
    long cap = backoff.cap().toNanos();
    SplittableRandom random = new SplittableRandom(seed);
    Duration previous = null;
    for (int n = 1; n <= retries; n++) {
      long d = Math.min(cap, (long) (base * Math.pow(backoff.multiplier(), n - 1)));
      assertThat(backoff.exponential(n).toNanos()).as("exponential(%d)", n).isEqualTo(d);

      Duration delay = backoff.delay(n, previous, random);
      long nanos = delay.toNanos();
      assertThat(nanos).as("retry %d of %s", n, backoff).isNotNegative().isLessThanOrEqualTo(cap);
      switch (backoff.jitter().kind()) {
        case NONE:
          assertThat(nanos).isEqualTo(d);
          break;
        case FULL:
          assertThat(nanos).isBetween(0L, d);
          break;
        case EQUAL:
          assertThat(nanos).isBetween(d / 2, d);
          break;
        case DECORRELATED:
          long prev = previous == null ? base : previous.toNanos();
          assertThat(nanos).isBetween(base, Math.min(cap, 3 * prev));
          break;
        case PROPORTIONAL:
          // the extra is whole nanoseconds of proportion × d; d × (1 + proportion) in double can
          // round below d + that extra (2001599.9999999998 < 2001600) and fail a correct delay
          long upper = Math.min(cap, d + (long) (d * backoff.jitter().proportion()));
          assertThat(nanos).isGreaterThanOrEqualTo(d).isLessThanOrEqualTo(upper);
          break;
        default:
          throw new AssertionError(backoff.jitter());
      }
      previous = delay;
    }
  }

  @Property
  void sameSeedGivesTheSameSequence(@ForAll("backoffs") Backoff backoff, @ForAll long seed) {
    assertThat(sequence(backoff, seed, 40)).isEqualTo(sequence(backoff, seed, 40));
  }

  @Property
  void exponentialNeverDecreasesAndStopsAtTheCap(
      @ForAll("backoffs") Backoff backoff, @ForAll @IntRange(min = 1, max = 39) int n) {
    assertThat(backoff.exponential(n + 1)).isGreaterThanOrEqualTo(backoff.exponential(n));
    assertThat(backoff.exponential(n + 1)).isLessThanOrEqualTo(backoff.cap());
    assertThat(backoff.exponential(1)).isEqualTo(backoff.base());
  }

  @Property
  void toStringOfAJitterParsesBack(@ForAll("jitters") Jitter jitter) {
    assertThat(Jitter.parse(jitter.toString())).isEqualTo(jitter);
  }

  private static List<Duration> sequence(Backoff backoff, long seed, int retries) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Duration> delays = new ArrayList<>();
    Duration previous = null;
    for (int n = 1; n <= retries; n++) {
      previous = backoff.delay(n, previous, random);
      delays.add(previous);
    }
    return delays;
  }

  @Provide
  Arbitrary<Backoff> backoffs() {
    Arbitrary<Long> baseMillis = Arbitraries.longs().between(1, 10_000);
    Arbitrary<Double> multiplier =
        Arbitraries.doubles().between(1, 4).edgeCases(c -> c.add(1.0).add(2.0).add(4.0));
    Arbitrary<Double> capFraction = Arbitraries.doubles().between(0, 1);
    return Combinators.combine(baseMillis, multiplier, capFraction, jitters())
        .as(
            (b, m, f, j) -> {
              long base = Duration.ofMillis(b).toNanos();
              long cap = base + (long) ((MAX_CAP_NANOS - base) * f);
              return Backoff.builder()
                  .withBase(Duration.ofNanos(base))
                  .withMultiplier(m)
                  .withCap(Duration.ofNanos(cap))
                  .withJitter(j)
                  .build();
            });
  }

  @Provide
  Arbitrary<Jitter> jitters() {
    return Arbitraries.oneOf(
        Arbitraries.of(Jitter.none(), Jitter.full(), Jitter.equal(), Jitter.decorrelated()),
        Arbitraries.doubles().between(0, 10).ofScale(4).map(Jitter::proportional),
        Arbitraries.integers().between(0, 1000).map(p -> Jitter.proportional(p / 100.0)));
  }
}
