package dev.paritysync.app.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.classify.FieldError;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedReaderTest {
  @TempDir Path dir;

  private static String line(int day, String amount) {
    return "{\"property\":\"P1\",\"roomType\":\"DBL\",\"ratePlan\":\"BAR\",\"from\":\"2026-05-0"
        + day
        + "\",\"to\":\"2026-05-0"
        + day
        + "\",\"rate\":{\"amount\":"
        + amount
        + ",\"currency\":\"EUR\"}}";
  }

  @Test
  void parsesEveryField() {
    List<FieldError> errors = new ArrayList<>();
    Change c =
        FeedReader.parse(
            "{\"property\":\"P1\",\"roomType\":\"DBL\",\"ratePlan\":\"BAR\",\"from\":\"2026-05-01\","
                + "\"to\":\"2026-05-03\",\"rate\":{\"amount\":120.10,\"currency\":\"EUR\"},"
                + "\"availability\":4,\"restrictions\":{\"minLos\":2,\"maxLos\":7,\"closed\":false,"
                + "\"closedToArrival\":true,\"closedToDeparture\":false}}",
            errors);
    assertThat(errors).isEmpty();
    assertThat(c.from()).isEqualTo(LocalDate.of(2026, 5, 1));
    assertThat(c.to()).isEqualTo(LocalDate.of(2026, 5, 3));
    assertThat(c.rate()).isEqualTo(Rate.of("120.10", "EUR"));
    assertThat(c.rate().amount().toPlainString()).isEqualTo("120.10");
    assertThat(c.availability()).isEqualTo(4);
    assertThat(c.restrictions().minLos()).isEqualTo(2);
    assertThat(c.restrictions().closedToArrival()).isTrue();
  }

  @Test
  void namesEveryBadFieldOfALine() {
    List<FieldError> errors = new ArrayList<>();
    Change c =
        FeedReader.parse(
            "{\"property\":\"P1\",\"room\":\"DBL\",\"from\":\"2026-13-01\",\"to\":\"2026-05-03\","
                + "\"rate\":{\"amount\":\"abc\"},\"availability\":1.5,"
                + "\"restrictions\":{\"closed\":\"yes\"}}",
            errors);
    assertThat(c).isNull();
    assertThat(errors)
        .extracting(FieldError::toString)
        .containsExactlyInAnyOrder(
            "room: unknown key (known: availability, from, property, rate, ratePlan,"
                + " restrictions, roomType, to)",
            "roomType: is missing",
            "from: '2026-13-01' is not a date (yyyy-MM-dd)",
            "rate.amount: \"abc\" is not a decimal number",
            "rate.currency: is missing",
            "availability: 1.5 is not a whole number",
            "restrictions.closed: \"yes\" is not true or false");
    errors.clear();
    assertThat(FeedReader.parse("{not json", errors)).isNull();
    assertThat(errors.get(0).toString()).startsWith("$: not JSON");
  }

  /**
   * A key of spaces, quotes or control characters (fuzzing found " `property") is shown JSON-quoted
   * in brackets, cut at 64 characters, so the error line stays readable and bounded.
   */
  @Test
  void anUnknownKeyThatIsNotAPlainNameIsQuoted() {
    List<FieldError> errors = new ArrayList<>();
    String key = " `prop\\\"erty" + "x".repeat(100);
    FeedReader.parse(
        "{\""
            + key
            + "\":1,\"property\":\"P1\",\"roomType\":\"DBL\",\"from\":\"2026-05-01\","
            + "\"to\":\"2026-05-01\",\"availability\":1,\"rate\":{\"amount\":\"1\","
            + "\"currency\":\"EUR\",\"t\\tab\":1}}",
        errors);
    assertThat(errors)
        .extracting(FieldError::path)
        .containsExactlyInAnyOrder(
            "[\" `prop\\\"erty" + "x".repeat(53) + "…\"]", "rate[\"t\\tab\"]");
  }

  /** A line holding two changes would have lost the second silently: it is an error instead. */
  @Test
  void aLineWithMoreThanOneValueOrTooDeepIsAnErrorNotATruncation() {
    String one =
        "{\"property\":\"P1\",\"roomType\":\"DBL\",\"from\":\"2030-01-01\","
            + "\"to\":\"2030-01-01\",\"availability\":1}";
    List<FieldError> errors = new ArrayList<>();
    assertThat(FeedReader.parse(one + " " + one, errors)).isNull();
    assertThat(errors.get(0).toString()).startsWith("$: not JSON: / (line 1, column");
    errors.clear();
    assertThat(FeedReader.parse("[".repeat(100) + "]".repeat(100), errors)).isNull();
    assertThat(errors.get(0).toString()).endsWith("nested more than 32 levels deep");
    errors.clear();
    assertThat(FeedReader.parse("{\"a\":1,\"a\":2}", errors)).isNull();
    assertThat(errors).hasSize(1);
  }

  @Test
  void readsBatchesFromALineSkipsBlankLinesAndNumbersErrorsByLine() throws Exception {
    Path file = dir.resolve("feed.ndjson");
    Files.write(
        file,
        List.of(
            line(1, "100"), line(2, "101"), "", line(3, "102"), line(4, "\"x\""), line(5, "104")));
    try (FeedReader r = FeedReader.open(file, 2, 2)) {
      FeedReader.Batch b1 = r.next().orElseThrow();
      assertThat(b1.firstLine()).isEqualTo(2);
      assertThat(b1.lastLine()).isEqualTo(3);
      assertThat(b1.lines()).containsExactly(2L);
      assertThat(b1.changes().get(0).rate()).isEqualTo(Rate.of("101", "EUR"));
      FeedReader.Batch b2 = r.next().orElseThrow();
      assertThat(b2.lines()).containsExactly(4L);
      assertThat(b2.errors()).containsExactly("line 5: rate.amount: \"x\" is not a decimal number");
      assertThat(b2.onLine(new FieldError("changes[0].rate", "too many decimals")))
          .isEqualTo("line 4: rate: too many decimals");
      assertThat(r.next().orElseThrow().lines()).containsExactly(6L);
      assertThat(r.next()).isEmpty();
      assertThat(r.lineNumber()).isEqualTo(6);
    }
    try (FeedReader r = FeedReader.open(file, 99, 10)) {
      assertThat(r.next()).isEmpty();
    }
  }
}
