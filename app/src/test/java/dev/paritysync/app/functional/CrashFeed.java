package dev.paritysync.app.functional;

import dev.paritysync.app.functional.Cells.Key;
import dev.paritysync.app.functional.Cells.Value;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The seeded NDJSON feed {@link CrashRecoveryTest} gives {@code paritysync run}, and its fold: what
 * truth must hold once every line is accepted. P1 prices in EUR, every other property in USD.
 */
final class CrashFeed {
  private CrashFeed() {}

  /**
   * Writes {@code count} seeded changes for {@code properties} to {@code feed} and returns their
   * fold.
   */
  static Map<Key, Value> write(Path feed, int count, List<String> properties, Random r)
      throws IOException {
    LocalDate first = LocalDate.now(ZoneOffset.UTC).plusDays(3);
    Map<Key, Value> fold = new HashMap<>();
    List<String> lines = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ChangeStream.Change change = next(r, i, first, properties);
      lines.add(change.json());
      change.applyTo(fold);
    }
    Files.write(feed, lines, StandardCharsets.UTF_8);
    return fold;
  }

  /**
   * The {@code i}th line's change, drawn from {@code r}; a null field is one the line leaves as it
   * was, and a line that would set nothing sets a rate.
   */
  private static ChangeStream.Change next(
      Random r, int i, LocalDate first, List<String> properties) {
    String property = properties.get(r.nextInt(properties.size()));
    String currency = property.equals("P1") ? "EUR" : "USD";
    String room = r.nextBoolean() ? "DBL" : "SGL";
    String plan = room.equals("SGL") || r.nextBoolean() ? "BAR" : "NRF";
    LocalDate from = first.plusDays(r.nextInt(30));
    LocalDate to = from.plusDays(r.nextInt(4));
    BigDecimal rate = r.nextInt(4) == 0 ? null : BigDecimal.valueOf(6_000 + r.nextInt(20_000), 2);
    Integer availability = r.nextInt(3) == 0 ? r.nextInt(10) : null;
    Integer minLos = r.nextInt(5) == 0 ? 1 + r.nextInt(3) : null;
    Boolean closed = r.nextInt(8) == 0 ? r.nextBoolean() : null;
    if (rate == null && availability == null && minLos == null && closed == null) {
      rate = BigDecimal.valueOf(10_000 + i, 2);
    }
    return new ChangeStream.Change(
        property, room, plan, from, to, rate, currency, availability, minLos, closed);
  }
}
