package dev.paritysync.hotel.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.hotel.ari.Cell;
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.channel.ChannelLimits;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToLongFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class RangeCompressorPropertiesTest {
  static final LocalDate START = LocalDate.of(2026, 1, 1);
  // Few values, so neighbouring cells are often equal and runs form.
  static final List<CellValues> VALUES =
      List.of(
          CellValues.ofRate(Rate.of("100", "EUR")),
          CellValues.ofRate(Rate.of("100.00", "EUR")), // equal to the one above
          CellValues.ofRate(Rate.of("90", "EUR")),
          CellValues.ofAvailability(0),
          CellValues.ofAvailability(4));
  // Size grows with the room code, so ranges differ in size.
  static final ToLongFunction<CellRange> SIZE = r -> 20L + 7L * r.roomType().length();

  record Key(String room, String plan, LocalDate date) {}

  @Provide
  Arbitrary<List<Cell>> cells() {
    Arbitrary<Cell> cell =
        Combinators.combine(
                Arbitraries.of("A", "BB", "CCC"),
                Arbitraries.of("P", "Q", "-"),
                Arbitraries.integers().between(0, 60),
                Arbitraries.of(VALUES))
            .as(
                (room, plan, day, values) ->
                    new Cell(
                        "H1", room, plan.equals("-") ? null : plan, START.plusDays(day), values));
    return cell.list()
        .ofMaxSize(200)
        .map(
            list -> {
              Map<Key, Cell> unique = new LinkedHashMap<>();
              list.forEach(c -> unique.putIfAbsent(key(c), c));
              return new ArrayList<>(unique.values());
            });
  }

  @Provide
  Arbitrary<ChannelLimits> limits() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 12),
            Arbitraries.longs().between(1, 400),
            Arbitraries.of(true, false))
        .as(ChannelLimits::new);
  }

  static Key key(Cell c) {
    return new Key(c.roomType(), c.ratePlan(), c.date());
  }

  @Property(tries = 500)
  void rangesExpandToExactlyTheInputCells(
      @ForAll("cells") List<Cell> cells, @ForAll("limits") ChannelLimits limits) {
    List<List<CellRange>> requests = new RangeCompressor(limits, SIZE).compress(cells);

    Map<Key, Cell> expanded = new HashMap<>();
    for (List<CellRange> request : requests) {
      for (CellRange range : request) {
        for (Cell c : range.cells()) {
          assertThat(expanded.put(key(c), c)).as("overlap or duplicate at %s", c).isNull();
        }
      }
    }
    assertThat(expanded).hasSameSizeAs(cells);
    for (Cell c : cells) {
      assertThat(expanded.get(key(c))).isEqualTo(c);
    }
  }

  @Property(tries = 500)
  void everyRequestRespectsTheLimits(
      @ForAll("cells") List<Cell> cells, @ForAll("limits") ChannelLimits limits) {
    for (List<CellRange> request : new RangeCompressor(limits, SIZE).compress(cells)) {
      assertThat(request).isNotEmpty();
      assertThat(request.size()).isLessThanOrEqualTo(limits.maxRangesPerRequest());
      long bytes = request.stream().mapToLong(SIZE).sum();
      // A single range bigger than the byte limit is the only way past it, and travels alone.
      assertThat(bytes <= limits.maxBytesPerRequest() || request.size() == 1).isTrue();
      if (limits.perDayOnly()) {
        assertThat(request).allMatch(r -> r.days() == 1);
      }
    }
  }

  @Property(tries = 500)
  void rangesAreAsFewAsTheRunsOfEqualValues(
      @ForAll("cells") List<Cell> cells, @ForAll("limits") ChannelLimits limits) {
    long ranges =
        new RangeCompressor(limits, SIZE).compress(cells).stream().mapToLong(List::size).sum();

    Map<Key, Cell> byKey = new HashMap<>();
    cells.forEach(c -> byKey.put(key(c), c));
    // A maximal run starts at each cell whose previous date holds no cell with equal values.
    long runs =
        cells.stream()
            .filter(
                c -> {
                  Cell previous =
                      byKey.get(new Key(c.roomType(), c.ratePlan(), c.date().minusDays(1)));
                  return previous == null || !Objects.equals(previous.values(), c.values());
                })
            .count();
    assertThat(ranges).isEqualTo(limits.perDayOnly() ? cells.size() : runs);
  }

  @Property(tries = 200)
  void outputDoesNotDependOnInputOrder(
      @ForAll("cells") List<Cell> cells, @ForAll("limits") ChannelLimits limits) {
    RangeCompressor compressor = new RangeCompressor(limits, SIZE);
    List<Cell> reversed = new ArrayList<>(cells);
    java.util.Collections.reverse(reversed);
    assertThat(compressor.compress(reversed)).isEqualTo(compressor.compress(cells));
  }
}
