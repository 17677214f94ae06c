package dev.paritysync.royalty.drift;

import java.time.YearMonth;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What one drift check found, in short: counts per rule, the groups not judged and the top findings
 * by amount. Immutable.
 *
 * @param period the period checked
 * @param rowsChecked lake rows in the period
 * @param counts findings per rule; every rule is present
 * @param notJudged revenue-per-stream groups with too few trailing periods
 * @param top the findings with the largest absolute amount, largest first (at most 10)
 */
public record DriftSummary(
    YearMonth period,
    long rowsChecked,
    Map<Rule, Long> counts,
    List<NotJudged> notJudged,
    List<Finding> top) {

  /** Copies the collections. */
  public DriftSummary {
    Map<Rule, Long> c = new EnumMap<>(Rule.class);
    for (Rule r : Rule.values()) {
      c.put(r, counts.getOrDefault(r, 0L));
    }
    counts = java.util.Collections.unmodifiableMap(c);
    notJudged = List.copyOf(notJudged);
    top = List.copyOf(top);
  }

  /** All findings. */
  public long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The console summary: a line per rule, the groups not judged, the top findings. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    b.append("drift ")
        .append(period)
        .append(": ")
        .append(rowsChecked)
        .append(" rows checked, ")
        .append(total())
        .append(total() == 1 ? " finding" : " findings")
        .append('\n');
    if (rowsChecked == 0) {
      b.append("  the lake has no rows for ").append(period).append('\n');
    }
    counts.forEach((rule, n) -> b.append(String.format("  %-20s %d%n", rule.id(), n)));
    if (!notJudged.isEmpty()) {
      b.append("revenue per stream not judged for ")
          .append(notJudged.size())
          .append(notJudged.size() == 1 ? " group" : " groups")
          .append(" (too few trailing periods):\n");
      notJudged.stream().limit(DriftCheck.TOP).forEach(n -> b.append("  ").append(n).append('\n'));
      if (notJudged.size() > DriftCheck.TOP) {
        b.append("  … and ").append(notJudged.size() - DriftCheck.TOP).append(" more\n");
      }
    }
    if (!top.isEmpty()) {
      b.append("top findings by amount:\n");
      top.forEach(f -> b.append("  ").append(f).append('\n'));
    }
    return b.toString();
  }
}
