package dev.paritysync.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CellWriterTest {
  private static final FieldMap MAP =
      FieldMap.of(AriField.ROOM, "room_id")
          .and(AriField.FROM, "start")
          .and(AriField.DATE, "day")
          .and(AriField.RATE, "price")
          .and(AriField.MIN_LOS, "min")
          .and(AriField.CLOSED, "stop");

  private static final CellKey KEY = new CellKey("DBL", "BAR", LocalDate.of(2026, 3, 29));

  @Test
  void writesTheCellFieldsOfTheMapInItsOrderUnderItsNamesSkippingAbsentOnes() {
    CellValue value = new CellValue(new BigDecimal("120.50"), "EUR", 3, null, 7, false, null, null);
    Map<String, Object> out = new LinkedHashMap<>();
    CellWriter.write(MAP, KEY, value, out::put);

    // FROM is not a cell field; MIN_LOS is absent; currency and maxLos are not mapped
    assertThat(out)
        .containsExactly(
            Map.entry("room_id", "DBL"),
            Map.entry("day", "2026-03-29"),
            Map.entry("price", "120.50"),
            Map.entry("stop", false));
  }

  @Test
  void onlyKeepsTheOrderAskedForAndNamesAFieldTheMapLacks() {
    Map<String, Object> out = new LinkedHashMap<>();
    CellValue value = new CellValue(new BigDecimal("99"), null, null, 2, null, true, null, null);
    CellWriter.write(MAP.only(AriField.CLOSED, AriField.RATE), KEY, value, out::put);
    assertThat(out).containsExactly(Map.entry("stop", true), Map.entry("price", "99"));

    assertThatThrownBy(() -> MAP.only(AriField.CURRENCY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("field CURRENCY is not in");
    assertThatThrownBy(() -> MAP.and(AriField.ROOM, "room"))
        .hasMessage("field ROOM is mapped twice");
  }

  @Test
  void updateFieldsAndPointersComeFromTheSameMap() {
    assertThat(MAP.wire("from")).isEqualTo("start");
    assertThat(MAP.wire("currency")).isNull();
    assertThat(MAP.pointerName("currency")).isEqualTo("currency");
    assertThat(MAP.isUpdateField("start")).isTrue();
    assertThat(MAP.isUpdateField("day")).isFalse(); // a cell's date is not sent in an update
  }
}
