package dev.paritysync.hotel.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.hotel.ari.Cell;
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.hotel.channel.ChannelLimits;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RangeCompressorTest {
  static final LocalDate START = LocalDate.of(2026, 1, 1);
  static final CellValues EUR_100 = CellValues.ofRate(Rate.of("100.00", "EUR"));
  static final CellValues EUR_120 = CellValues.ofRate(Rate.of("120.00", "EUR"));

  static Cell cell(String room, String plan, int day, CellValues values) {
    return new Cell("H1", room, plan, START.plusDays(day), values);
  }

  static RangeCompressor compressor(ChannelLimits limits) {
    return new RangeCompressor(limits, r -> 100);
  }

  static CellRange range(String room, String plan, int from, int to, CellValues values) {
    return new CellRange("H1", room, plan, START.plusDays(from), START.plusDays(to), values);
  }

  @Test
  void aYearOfOneRateIsOneRange() {
    List<Cell> cells = new ArrayList<>();
    for (int d = 364; d >= 0; d--) { // order of input does not matter
      cells.add(
          cell("DBL", "BAR", d, d % 2 == 0 ? EUR_100 : CellValues.ofRate(Rate.of("100", "EUR"))));
    }
    assertThat(compressor(ChannelLimits.DEFAULTS).compress(cells))
        .containsExactly(List.of(range("DBL", "BAR", 0, 364, EUR_100)));
  }

  @Test
  void alternatingValuesDoNotMerge() {
    List<Cell> cells = new ArrayList<>();
    for (int d = 0; d < 6; d++) {
      cells.add(cell("DBL", "BAR", d, d % 2 == 0 ? EUR_100 : EUR_120));
    }
    List<List<CellRange>> requests = compressor(ChannelLimits.DEFAULTS).compress(cells);
    assertThat(requests).hasSize(1);
    assertThat(requests.get(0)).hasSize(6).allMatch(r -> r.days() == 1);
  }

  @Test
  void gapsSplitRanges() {
    List<Cell> cells =
        List.of(
            cell("DBL", "BAR", 0, EUR_100),
            cell("DBL", "BAR", 1, EUR_100),
            cell("DBL", "BAR", 3, EUR_100),
            cell("DBL", "BAR", 4, EUR_100));
    assertThat(compressor(ChannelLimits.DEFAULTS).compress(cells))
        .containsExactly(
            List.of(range("DBL", "BAR", 0, 1, EUR_100), range("DBL", "BAR", 3, 4, EUR_100)));
  }

  @Test
  void differentRoomsAndPlansNeverMergeAndComeInOrder() {
    CellValues avail = CellValues.ofAvailability(3);
    CellValues closed = new CellValues(null, null, Restrictions.none().withClosed(true));
    List<Cell> cells =
        List.of(
            cell("SGL", "BAR", 0, EUR_100),
            cell("DBL", "NR", 0, EUR_100),
            cell("DBL", "BAR", 0, EUR_100),
            cell("DBL", null, 0, avail),
            cell("DBL", null, 1, avail),
            cell("DBL", "BAR", 1, closed));
    assertThat(compressor(ChannelLimits.DEFAULTS).compress(cells))
        .containsExactly(
            List.of(
                range("DBL", null, 0, 1, avail),
                range("DBL", "BAR", 0, 0, EUR_100),
                range("DBL", "BAR", 1, 1, closed),
                range("DBL", "NR", 0, 0, EUR_100),
                range("SGL", "BAR", 0, 0, EUR_100)));
  }

  @Test
  void maxRangesSplitsRequests() {
    List<Cell> cells = new ArrayList<>();
    for (int d = 0; d < 5; d++) {
      cells.add(cell("DBL", "BAR", 2 * d, EUR_100)); // five one-day ranges
    }
    List<List<CellRange>> requests =
        compressor(new ChannelLimits(2, Long.MAX_VALUE, false)).compress(cells);
    assertThat(requests).extracting(List::size).containsExactly(2, 2, 1);
  }

  @Test
  void maxBytesSplitsRequests() {
    List<Cell> cells = new ArrayList<>();
    for (int d = 0; d < 5; d++) {
      cells.add(cell("DBL", "BAR", 2 * d, EUR_100));
    }
    // 100 bytes a range: 250 bytes hold two.
    List<List<CellRange>> requests = compressor(new ChannelLimits(100, 250, false)).compress(cells);
    assertThat(requests).extracting(List::size).containsExactly(2, 2, 1);
    assertThat(compressor(new ChannelLimits(100, 300, false)).compress(cells))
        .extracting(List::size)
        .containsExactly(3, 2);
  }

  @Test
  void anOversizedRangeTravelsAlone() {
    List<Cell> cells = List.of(cell("DBL", "BAR", 0, EUR_100), cell("DBL", "BAR", 2, EUR_100));
    List<List<CellRange>> requests = compressor(new ChannelLimits(100, 50, false)).compress(cells);
    assertThat(requests).extracting(List::size).containsExactly(1, 1);
  }

  @Test
  void perDayOnlyChannelsGetOneDatePerRange() {
    List<Cell> cells = new ArrayList<>();
    for (int d = 0; d < 30; d++) {
      cells.add(cell("DBL", "BAR", d, EUR_100));
    }
    List<List<CellRange>> requests =
        compressor(new ChannelLimits(10, Long.MAX_VALUE, true)).compress(cells);
    assertThat(requests).hasSize(3).allMatch(r -> r.size() == 10);
    assertThat(requests.stream().flatMap(List::stream)).allMatch(r -> r.days() == 1);
  }

  @Test
  void noCellsNoRequests() {
    assertThat(compressor(ChannelLimits.DEFAULTS).compress(List.of())).isEmpty();
  }

  @Test
  void rejectsDuplicateCellsAndMixedProperties() {
    RangeCompressor c = compressor(ChannelLimits.DEFAULTS);
    assertThatThrownBy(
            () ->
                c.compress(List.of(cell("DBL", "BAR", 0, EUR_100), cell("DBL", "BAR", 0, EUR_120))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("two cells for one date: ");
    assertThatThrownBy(
            () ->
                c.compress(
                    List.of(
                        cell("DBL", "BAR", 0, EUR_100),
                        new Cell("H2", "DBL", "BAR", START.plusDays(1), EUR_100))))
        .hasMessage("cells of several properties: H1, H2");
  }
}
