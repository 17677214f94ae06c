package dev.paritysync.hotel.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.hotel.ari.Cell;
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Rate;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelMappingTest {
  static final LocalDate DAY = LocalDate.of(2026, 3, 1);
  final ChannelMapping mapping =
      new ChannelMapping(Map.of("DBL", "1001", "SGL", "1002"), Map.of("BAR", "RP1"));

  static Cell cell(String room, String plan) {
    return new Cell("H1", room, plan, DAY, CellValues.ofRate(Rate.of("10", "EUR")));
  }

  @Test
  void mapsRoomAndRatePlan() {
    assertThat(mapping.map(cell("DBL", "BAR"))).contains(new ChannelMapping.Codes("1001", "RP1"));
    assertThat(mapping.map(cell("SGL", null))).contains(new ChannelMapping.Codes("1002", null));
  }

  @Test
  void unmappedCellsAreEmpty() {
    assertThat(mapping.map(cell("TRP", "BAR"))).isEmpty();
    assertThat(mapping.map(cell("DBL", "NR"))).isEmpty();
    assertThat(mapping.map(cell("TRP", null))).isEmpty();
  }

  @Test
  void reportsUnmappedCodesWithCounts() {
    List<Cell> cells =
        List.of(
            cell("DBL", "BAR"),
            cell("DBL", "NR"),
            cell("DBL", "NR"),
            cell("TRP", "BAR"),
            cell("TRP", null),
            cell("STE", "NR"));
    UnmappedReport report = mapping.unmapped(cells);
    assertThat(report.rooms()).containsExactly(Map.entry("STE", 1L), Map.entry("TRP", 2L));
    assertThat(report.ratePlans()).isEqualTo(Map.of("NR", 3L));
    assertThat(report.isEmpty()).isFalse();
    assertThat(mapping.unmapped(List.of(cell("DBL", "BAR")))).isEqualTo(UnmappedReport.EMPTY);
    assertThat(report.plus(report).rooms()).isEqualTo(Map.of("STE", 2L, "TRP", 4L));
  }
}
