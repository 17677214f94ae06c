package dev.paritysync.royalty.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UsagePeriodTest {

  @ParameterizedTest
  @CsvSource({
    "2015-02-14,2015-02-14,2015-02-14",
    "20151001,2015-10-01,2015-10-01",
    "2015-02,2015-02-01,2015-02-28",
    "2016-02,2016-02-01,2016-02-29",
    "2015-Q4,2015-10-01,2015-12-31",
    "2015-Q1,2015-01-01,2015-03-31",
    "2015-W01,2014-12-29,2015-01-04",
    "2015-W53,2015-12-28,2016-01-03",
    "2015,2015-01-01,2015-12-31",
    "2015-01-01--2015-01-31,2015-01-01,2015-01-31",
    "2015-01--2015-Q2,2015-01-01,2015-06-30",
  })
  void parsesDsrForms(String text, LocalDate start, LocalDate end) {
    assertThat(UsagePeriod.parse(text)).isEqualTo(new UsagePeriod(start, end));
  }

  @Test
  void partitionMonthIsTheMonthOfTheStart() {
    assertThat(UsagePeriod.parse("2015-Q4").partitionMonth()).isEqualTo(YearMonth.of(2015, 10));
    assertThat(UsagePeriod.parse("2015-W01").partitionMonth()).isEqualTo(YearMonth.of(2014, 12));
  }

  @Test
  void startAndEndExpressions() {
    assertThat(UsagePeriod.parse("20151001", "20151231"))
        .isEqualTo(new UsagePeriod(LocalDate.of(2015, 10, 1), LocalDate.of(2015, 12, 31)));
    assertThat(UsagePeriod.parse("2015-02", ""))
        .isEqualTo(new UsagePeriod(LocalDate.of(2015, 2, 1), LocalDate.of(2015, 2, 28)));
  }

  @Test
  void appleDates() {
    DateTimeFormatter mdy = DateTimeFormatter.ofPattern("MM/dd/yyyy");
    assertThat(UsagePeriod.parse("01/04/2015", "01/31/2015", mdy))
        .isEqualTo(new UsagePeriod(LocalDate.of(2015, 1, 4), LocalDate.of(2015, 1, 31)));
    assertThatThrownBy(() -> UsagePeriod.parse("2015-01-04", "01/31/2015", mdy))
        .hasMessage("period start '2015-01-04' is not a date in the form " + mdy);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2015-13", "2015-Q5", "2015-02-30", "Feb 2015", "2015-W54", "x--y"})
  void rejectsOthersNamingTheText(String text) {
    assertThatThrownBy(() -> UsagePeriod.parse(text))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("'" + text + "'");
  }

  @Test
  void rejectsAnEndBeforeTheStart() {
    assertThatThrownBy(() -> UsagePeriod.parse("2015-02--2015-01"))
        .hasMessage("period ends (2015-01-31) before it starts (2015-02-01)");
  }
}
