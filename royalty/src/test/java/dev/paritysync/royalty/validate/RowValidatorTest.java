package dev.paritysync.royalty.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.royalty.DeadLetterRow;
import dev.paritysync.royalty.Field;
import dev.paritysync.royalty.RawRow;
import dev.paritysync.royalty.SaleType;
import dev.paritysync.royalty.SalesRow;
import dev.paritysync.royalty.SourceConfig;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RowValidatorTest {
  private final RowValidator apple =
      new RowValidator(SourceConfig.defaults("apple", SourceConfig.Format.APPLE));

  private static RawRow row(Map<Field, String> overrides) {
    Map<Field, String> v = new EnumMap<>(Field.class);
    v.put(Field.PERIOD_START, "01/04/2015");
    v.put(Field.PERIOD_END, "01/31/2015");
    v.put(Field.TERRITORY, "US");
    v.put(Field.ISRC, "USSM19803037");
    v.put(Field.UPC, "036000291452");
    v.put(Field.TITLE, "Sexual Healing");
    v.put(Field.ARTIST, "Marvin Gaye");
    v.put(Field.QUANTITY, "3");
    v.put(Field.AMOUNT, "2.10");
    v.put(Field.CURRENCY, "USD");
    v.put(Field.SALE_TYPE, "S");
    v.putAll(overrides);
    v.values().removeIf(x -> x == null);
    return new RawRow("apple", "r.txt", 7, v, List.of(), "excerpt");
  }

  private SalesRow valid(Map<Field, String> overrides) {
    Validated v = apple.validate(row(overrides));
    assertThat(v).isInstanceOf(Validated.Valid.class);
    return ((Validated.Valid) v).row();
  }

  private DeadLetterRow invalid(Map<Field, String> overrides) {
    Validated v = apple.validate(row(overrides));
    assertThat(v).isInstanceOf(Validated.Invalid.class);
    return ((Validated.Invalid) v).deadLetter();
  }

  @Test
  void aValidRow() {
    SalesRow r = valid(Map.of());
    assertThat(r.periodStart()).isEqualTo(LocalDate.of(2015, 1, 4));
    assertThat(r.periodEnd()).isEqualTo(LocalDate.of(2015, 1, 31));
    assertThat(r.partitionMonth()).isEqualTo(YearMonth.of(2015, 1));
    assertThat(r.upc()).isEqualTo("00036000291452");
    assertThat(r.quantity()).isEqualTo(3);
    assertThat(r.amount()).isEqualByComparingTo("2.10");
    assertThat(r.saleType()).isEqualTo(SaleType.SALE);
    assertThat(r.rowNumber()).isEqualTo(7);
    assertThat(r.normalisations()).isEmpty();
  }

  @Test
  void recordsNormalisations() {
    SalesRow r =
        valid(Map.of(Field.ISRC, "us-sm1-98-03037", Field.TERRITORY, "WW", Field.CURRENCY, "usd"));
    assertThat(r.territory()).isEqualTo("Worldwide");
    assertThat(r.normalisations())
        .containsExactly(
            "territory: alias WW -> Worldwide",
            "isrc: removed hyphens",
            "isrc: upper-cased",
            "currency: usd -> USD");
  }

  @Test
  void aMissingUpcIsNotAnError() {
    Map<Field, String> noUpc = new EnumMap<>(Field.class);
    noUpc.put(Field.UPC, null);
    assertThat(valid(noUpc).upc()).isNull();
  }

  @Test
  void negativeValuesOnAReturnAreValid() {
    SalesRow r = valid(Map.of(Field.SALE_TYPE, "R", Field.QUANTITY, "-1", Field.AMOUNT, "-0.70"));
    assertThat(r.saleType()).isEqualTo(SaleType.RETURN);
    assertThat(r.quantity()).isEqualTo(-1);
    assertThat(r.amount()).isEqualByComparingTo("-0.70");
  }

  @ParameterizedTest
  @CsvSource({"adjustment,ADJUSTMENT", "FEE,FEE"})
  void negativeValuesOnAdjustmentsAndFeesAreValid(String marker, SaleType type) {
    assertThat(valid(Map.of(Field.SALE_TYPE, marker, Field.AMOUNT, "-5")).saleType())
        .isEqualTo(type);
  }

  @Test
  void negativeValuesOnASaleAreDeadLetters() {
    DeadLetterRow q = invalid(Map.of(Field.QUANTITY, "-1"));
    assertThat(q.field()).isEqualTo("quantity");
    assertThat(q.reason())
        .isEqualTo("quantity -1 is negative on a row not marked as return, adjustment or fee");
    DeadLetterRow a = invalid(Map.of(Field.AMOUNT, "-0.70"));
    assertThat(a.field()).isEqualTo("amount");
    assertThat(a.reason())
        .isEqualTo("amount -0.70 is negative on a row not marked as return, adjustment or fee");
    assertThat(a)
        .extracting(
            DeadLetterRow::source,
            DeadLetterRow::report,
            DeadLetterRow::rowNumber,
            DeadLetterRow::excerpt)
        .containsExactly("apple", "r.txt", 7L, "excerpt");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "QUANTITY|1.5|quantity|quantity '1.5' is not an integer",
        "AMOUNT|1,50|amount|amount '1,50' is not a decimal number",
        "CURRENCY|XYZ|currency|currency 'XYZ' is not an ISO 4217 code",
        "CURRENCY|DOLLARS|currency|currency 'DOLLARS' is not an ISO 4217 code",
        "SALE_TYPE|X|saleType|sale type 'X' is none of [R, S] or sale, return, adjustment, fee",
        "TERRITORY|ZZ|territory|territory 'ZZ' is not ISO 3166-1 alpha-2, XK, Worldwide or a"
            + " configured alias",
        "ISRC|USSM1980303|isrc|ISRC 'USSM1980303' is not 2 letters, 3 letters or digits, 2 year"
            + " digits and 5 digits (ISO 3901)",
        "UPC|036000291453|upc|UPC '036000291453' has check digit 3; GS1 mod-10 gives 2",
        "PERIOD_START|2015-01-04|period|period start '2015-01-04' is not a date in the form"
            + " Value(MonthOfYear,2)'/'Value(DayOfMonth,2)'/'Value(YearOfEra,4,19,EXCEEDS_PAD)",
      })
  void eachBadFieldIsADeadLetterNamingIt(Field f, String value, String field, String reason) {
    DeadLetterRow d = invalid(Map.of(f, value));
    assertThat(d.field()).isEqualTo(field);
    assertThat(d.reason()).isEqualTo(reason);
  }

  @Test
  void rowsTakingTurnsBetweenPeriodsEachGetTheirOwnAndABadOneStaysBad() {
    String[][] pairs = {
      {"01/04/2015", "01/31/2015"}, {"02/01/2015", "02/28/2015"}, {"01/04/2015", "02/28/2015"}
    };
    for (int round = 0; round < 3; round++) {
      for (String[] p : pairs) {
        SalesRow r = valid(Map.of(Field.PERIOD_START, p[0], Field.PERIOD_END, p[1]));
        assertThat(r.periodStart().toString() + "/" + r.periodEnd())
            .isEqualTo(
                LocalDate.parse(p[0], java.time.format.DateTimeFormatter.ofPattern("MM/dd/yyyy"))
                    + "/"
                    + LocalDate.parse(
                        p[1], java.time.format.DateTimeFormatter.ofPattern("MM/dd/yyyy")));
        assertThat(r.partitionMonth().getMonthValue())
            .isEqualTo(Integer.parseInt(p[0].substring(0, 2)));
      }
      assertThat(
              invalid(Map.of(Field.PERIOD_START, "02/01/2015", Field.PERIOD_END, "01/31/2015"))
                  .reason())
          .isEqualTo("period ends (2015-01-31) before it starts (2015-02-01)");
    }
  }
}
