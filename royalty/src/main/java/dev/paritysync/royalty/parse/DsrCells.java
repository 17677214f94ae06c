package dev.paritysync.royalty.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * DSR flat-file escaping: no quoting; a backslash escapes a tab, a pipe or a backslash ({@code \t}
 * and a backslash before a literal tab both mean a tab); an unescaped {@code |} separates values.
 */
final class DsrCells {
  private DsrCells() {}

  /** Splits a line into cells at unescaped tabs; cells stay escaped. */
  static List<String> split(String line) {
    List<String> cells = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '\t') {
        cells.add(line.substring(start, i));
        start = i + 1;
      }
    }
    cells.add(line.substring(start));
    return cells;
  }

  /** The unescaped values of an escaped cell; an empty cell has no values. */
  static List<String> values(String cell) {
    List<String> values = new ArrayList<>();
    if (cell.isEmpty()) {
      return values;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cell.length(); i++) {
      char c = cell.charAt(i);
      if (c == '\\' && i + 1 < cell.length()) {
        char n = cell.charAt(++i);
        switch (n) {
          case 't', '\t' -> sb.append('\t');
          case '|' -> sb.append('|');
          case '\\' -> sb.append('\\');
          default -> sb.append('\\').append(n);
        }
      } else if (c == '|') {
        values.add(sb.toString());
        sb.setLength(0);
      } else {
        sb.append(c);
      }
    }
    values.add(sb.toString());
    return values;
  }
}
