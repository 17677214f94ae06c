package dev.paritysync.hotel.ari;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.time.VirtualTime;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChangeValidatorTest {
  // 2026-01-01T00:00Z: UTC and Paris are on the 1st; Tokyo is too (09:00).
  static final LocalDate TODAY = LocalDate.of(2026, 1, 1);

  static final Portfolio PORTFOLIO =
      Portfolio.of(
          Property.of(
              "H1",
              ZoneOffset.UTC,
              RoomType.of("DBL", RatePlan.of("BAR", "EUR"), RatePlan.of("NR", "EUR")),
              RoomType.of("SGL", RatePlan.of("BAR", "EUR"))),
          Property.of(
              "TYO", ZoneId.of("Asia/Tokyo"), RoomType.of("TWN", RatePlan.of("BAR", "JPY"))),
          Property.of(
              "BAH", ZoneId.of("Asia/Bahrain"), RoomType.of("STE", RatePlan.of("BAR", "BHD"))),
          Property.of("LAX", ZoneId.of("America/Los_Angeles"), RoomType.of("KNG")));

  final VirtualTime time = new VirtualTime(Instant.parse("2026-01-01T00:00:00Z"));
  final ChangeValidator validator = new ChangeValidator(PORTFOLIO, time);

  static Change.Builder dbl(LocalDate from, LocalDate to) {
    return Change.builder("H1", "DBL", from, to);
  }

  static Change rate(String amount, String currency) {
    return dbl(TODAY, TODAY).withRatePlan("BAR").withRate(Rate.of(amount, currency)).build();
  }

  List<FieldError> validate(Change... changes) {
    return validator.validate(Arrays.asList(changes));
  }

  static FieldError error(String path, String message) {
    return new FieldError(path, message);
  }

  @Test
  void validChangesHaveNoErrors() {
    assertThat(
            validate(
                rate("120.50", "EUR"),
                dbl(TODAY, TODAY.plusDays(750)).withAvailability(0).build(),
                dbl(TODAY, TODAY)
                    .withRatePlan("NR")
                    .withRestrictions(
                        Restrictions.none()
                            .withMinLos(2)
                            .withMaxLos(2)
                            .withClosed(false)
                            .withClosedToArrival(true)
                            .withClosedToDeparture(false))
                    .build(),
                Change.builder("TYO", "TWN", TODAY, TODAY)
                    .withRatePlan("BAR")
                    .withRate(Rate.of("12000", "JPY"))
                    .build()))
        .isEmpty();
  }

  @Test
  void reportsEveryErrorOfEveryChangeAtOnceWithPaths() {
    Change good = rate("100", "EUR");
    Change bad =
        new Change(
            "H1",
            "DBL",
            "BAR",
            TODAY.plusDays(3),
            TODAY.plusDays(1),
            new Rate(new BigDecimal("-1.234"), "USD"),
            -2,
            Restrictions.none().withMinLos(0).withMaxLos(-1));

    assertThat(validate(good, good, good, bad))
        .containsExactly(
            error("changes[3].availability", "-2 is negative; availability must be ≥ 0"),
            error("changes[3].rate.amount", "-1.234 has 3 decimals; USD allows at most 2"),
            error("changes[3].rate.amount", "-1.234 is negative; a rate must be ≥ 0"),
            error(
                "changes[3].rate.currency", "USD differs from the currency of rate plan BAR, EUR"),
            error(
                "changes[3].restrictions.maxLos",
                "-1 is below 1; a length of stay is at least 1 night"),
            error("changes[3].restrictions.minLos", "0 exceeds maxLos -1; minLos must be ≤ maxLos"),
            error(
                "changes[3].restrictions.minLos",
                "0 is below 1; a length of stay is at least 1 night"),
            error("changes[3].to", "2026-01-02 is before from 2026-01-04; from must be ≤ to"));
  }

  @Test
  void missingFields() {
    Change empty = new Change(null, " ", null, null, null, null, null, Restrictions.none());
    assertThat(validate(empty, null))
        .containsExactly(
            error(
                "changes[0]",
                "sets nothing; give at least one of rate, availability, restrictions"),
            error("changes[0].from", "is missing; a change needs a first date"),
            error("changes[0].property", "is missing; a change names its property"),
            error("changes[0].roomType", "is missing; a change names its room type"),
            error("changes[0].to", "is missing; a change needs a last date"),
            error("changes[1]", "is null"));
  }

  @Test
  void rateNeedsAmountAndCurrency() {
    Change c = dbl(TODAY, TODAY).withRatePlan("BAR").withRate(new Rate(null, null)).build();
    assertThat(validate(c))
        .containsExactly(
            error("changes[0].rate.amount", "is missing; a rate needs an amount"),
            error("changes[0].rate.currency", "is missing; a rate needs an ISO 4217 currency"));
  }

  @Test
  void unknownCodes() {
    assertThat(validate(Change.builder("H9", "DBL", TODAY, TODAY).withAvailability(1).build()))
        .containsExactly(error("changes[0].property", "H9 is not a known property"));
    assertThat(validate(Change.builder("H1", "TRP", TODAY, TODAY).withAvailability(1).build()))
        .containsExactly(error("changes[0].roomType", "TRP is not a room type of property H1"));
    assertThat(
            validate(
                Change.builder("H1", "SGL", TODAY, TODAY)
                    .withRatePlan("NR")
                    .withAvailability(1)
                    .build()))
        .containsExactly(
            error("changes[0].ratePlan", "NR is not a rate plan of room type SGL in property H1"));
    assertThat(validate(dbl(TODAY, TODAY).withRatePlan(" ").withAvailability(1).build()))
        .containsExactly(
            error("changes[0].ratePlan", "is blank; name a rate plan or leave it out"));
  }

  @Test
  void userInputInMessagesIsNotInterpolated() {
    Change c = Change.builder("${1+1}", "DBL", TODAY, TODAY).withAvailability(1).build();
    Change d = Change.builder("{property}\\", "DBL", TODAY, TODAY).withAvailability(1).build();
    Change e = rate("1", "${'x'}");
    assertThat(validate(c, d, e))
        .containsExactly(
            error("changes[0].property", "${1+1} is not a known property"),
            error("changes[1].property", "{property}\\ is not a known property"),
            error("changes[2].rate.currency", "${'x'} is not an ISO 4217 currency code"));
  }

  @Test
  void rateAndRestrictionsNeedARatePlan() {
    String message = "is missing; a change that sets a rate or restrictions names its rate plan";
    assertThat(validate(dbl(TODAY, TODAY).withRate(Rate.of("1", "EUR")).build()))
        .containsExactly(error("changes[0].ratePlan", message));
    assertThat(
            validate(
                dbl(TODAY, TODAY).withRestrictions(Restrictions.none().withClosed(true)).build()))
        .containsExactly(error("changes[0].ratePlan", message));
    // Availability belongs to the room type: a rate plan is allowed but not needed.
    assertThat(validate(dbl(TODAY, TODAY).withAvailability(3).build())).isEmpty();
    assertThat(validate(dbl(TODAY, TODAY).withRatePlan("BAR").withAvailability(3).build()))
        .isEmpty();
  }

  @Test
  void minLosMayEqualMaxLos() {
    Change c =
        dbl(TODAY, TODAY)
            .withRatePlan("BAR")
            .withRestrictions(Restrictions.none().withMinLos(1).withMaxLos(1))
            .build();
    assertThat(validate(c)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "TYO, TWN, 12000, JPY, ",
    "TYO, TWN, 12000.00, JPY, ",
    "TYO, TWN, 12000.5, JPY, '12000.5 has 1 decimals; JPY allows at most 0'",
    "H1, DBL, 99.99, EUR, ",
    "H1, DBL, 99.990, EUR, ",
    "H1, DBL, 0, EUR, ",
    "H1, DBL, 99.999, EUR, '99.999 has 3 decimals; EUR allows at most 2'",
    "BAH, STE, 45.125, BHD, ",
    "BAH, STE, 45.1255, BHD, '45.1255 has 4 decimals; BHD allows at most 3'",
  })
  void amountsFollowTheCurrencyScale(
      String property, String room, String amount, String currency, String expected) {
    Change c =
        Change.builder(property, room, TODAY, TODAY)
            .withRatePlan("BAR")
            .withRate(Rate.of(amount, currency))
            .build();
    List<FieldError> expectedErrors = new ArrayList<>();
    if (expected != null) {
      expectedErrors.add(error("changes[0].rate.amount", expected));
    }
    assertThat(validate(c)).isEqualTo(expectedErrors);
  }

  @ParameterizedTest
  @CsvSource({
    "eur, eur is not an ISO 4217 currency code",
    "EURO, EURO is not an ISO 4217 currency code",
    "ABC, ABC is not an ISO 4217 currency code",
  })
  void currencyMustBeIso4217WithAMinorUnit(String currency, String expected) {
    assertThat(validate(rate("10", currency)))
        .containsExactly(error("changes[0].rate.currency", expected));
  }

  @Test
  void currencyWithoutMinorUnitIsRejected() {
    assertThat(validate(rate("10", "XAU")))
        .containsExactly(
            error(
                "changes[0].rate.currency", "XAU differs from the currency of rate plan BAR, EUR"),
            error(
                "changes[0].rate.currency",
                "XAU has no minor unit; a rate needs a currency that has one"));
  }

  @Test
  void dateWindowEdgesInUtc() {
    assertThat(validate(dbl(TODAY, TODAY).withAvailability(1).build())).isEmpty();
    assertThat(validate(dbl(TODAY.plusDays(750), TODAY.plusDays(750)).withAvailability(1).build()))
        .isEmpty();
    assertThat(validate(dbl(TODAY.plusDays(751), TODAY.plusDays(751)).withAvailability(1).build()))
        .containsExactly(
            error(
                "changes[0].from",
                "2028-01-22 is after 2028-01-21, today (2026-01-01 in Z) + 750 days"),
            error(
                "changes[0].to",
                "2028-01-22 is after 2028-01-21, today (2026-01-01 in Z) + 750 days"));
    assertThat(validate(dbl(TODAY.minusDays(1), TODAY).withAvailability(1).build()))
        .containsExactly(error("changes[0].from", "2025-12-31 is before today, 2026-01-01 in Z"));
  }

  @Test
  void todayMovesWithTheClock() {
    Change c = dbl(TODAY, TODAY).withAvailability(1).build();
    time.advance(Duration.ofHours(24).minusNanos(1));
    assertThat(validate(c)).isEmpty();
    time.advance(Duration.ofNanos(1));
    assertThat(validate(c))
        .containsExactly(
            error("changes[0].from", "2026-01-01 is before today, 2026-01-02 in Z"),
            error("changes[0].to", "2026-01-01 is before today, 2026-01-02 in Z"));
  }

  @Test
  void todayIsThePropertysDate() {
    // 2026-01-01T00:00Z is still 2025-12-31 in Los Angeles and already the 1st in Tokyo.
    LocalDate eve = TODAY.minusDays(1);
    assertThat(validate(Change.builder("LAX", "KNG", eve, eve).withAvailability(1).build()))
        .isEmpty();
    assertThat(validate(Change.builder("TYO", "TWN", eve, eve).withAvailability(1).build()))
        .containsExactly(
            error("changes[0].from", "2025-12-31 is before today, 2026-01-01 in Asia/Tokyo"),
            error("changes[0].to", "2025-12-31 is before today, 2026-01-01 in Asia/Tokyo"));
    // At 15:00Z it is already the 2nd in Tokyo, and the window ends a day later there.
    time.advance(Duration.ofHours(15));
    LocalDate last = TODAY.plusDays(751);
    assertThat(validate(Change.builder("TYO", "TWN", last, last).withAvailability(1).build()))
        .isEmpty();
    assertThat(validate(Change.builder("H1", "DBL", last, last).withAvailability(1).build()))
        .hasSize(2);
  }

  @Test
  void horizonIsConfigurable() {
    ChangeValidator shortSighted = new ChangeValidator(PORTFOLIO, time, 0);
    assertThat(
            shortSighted.validate(
                List.of(dbl(TODAY, TODAY.plusDays(1)).withAvailability(1).build())))
        .containsExactly(
            error(
                "changes[0].to",
                "2026-01-02 is after 2026-01-01, today (2026-01-01 in Z) + 0 days"));
  }

  @Test
  void hugeExponentsAreRejectedCheaplyAndNamedInScientificNotation() {
    // 1e1000000 used to pass (no decimals), be stored as 1,000,001 digits and stall the batcher.
    assertThat(validate(rate("1e1000000", "EUR")))
        .containsExactly(
            error(
                "changes[0].rate.amount",
                "1E+1000000 is above 1000000000, the largest rate accepted"));
    assertThat(validate(rate("1e400", "EUR"))).hasSize(1);
    assertThat(validate(rate("1000000000.00", "EUR"))).isEmpty();
    assertThat(validate(rate("1000000000.01", "EUR")))
        .containsExactly(
            error(
                "changes[0].rate.amount",
                "1000000000.01 is above 1000000000, the largest rate accepted"));
  }

  @Test
  void tinyExponentsAreRejectedWithoutWritingTheDigitsOut() {
    // 1e-100000000 used to run out of memory: the message quoted its 100,000,002-character form.
    assertThat(validate(rate("1e-100000000", "EUR")))
        .containsExactly(
            error(
                "changes[0].rate.amount",
                "1E-100000000 has 100000000 decimals; EUR allows at most 2"));
  }
}
