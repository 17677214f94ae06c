package dev.paritysync.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalRowsTest {
  @Test
  void joinsTheFieldsInCanonicalOrderByTabsAndEndsWithOneLf() {
    Map<String, String> row = new HashMap<>();
    for (String f : CanonicalRows.FIELDS) {
      row.put(f, f.substring(0, 2));
    }
    assertThat(CanonicalRows.line(row::get))
        .isEqualTo("ro\tpe\tpe\tte\tis\tup\tti\tar\tco\tus\tqu\tam\tcu\tsa\n");
  }

  @Test
  void escapesBackslashTabAndLineBreaksAndWritesAnAbsentValueEmpty() {
    Map<String, String> row = new HashMap<>();
    row.put("row", "7");
    row.put("title", "a\\b\tc\nd\re");
    String line = CanonicalRows.line(row::get);
    assertThat(line).isEqualTo("7\t\t\t\t\t\ta\\\\b\\tc\\nd\\re\t\t\t\t\t\t\t\n");
    assertThat(line.chars().filter(c -> c == '\t')).hasSize(CanonicalRows.FIELDS.size() - 1);
  }
}
