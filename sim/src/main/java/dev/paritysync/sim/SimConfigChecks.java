package dev.paritysync.sim;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The checks of {@link SimConfig}'s values that need more than a line, each naming the key. */
final class SimConfigChecks {
  private SimConfigChecks() {}

  /** {@code quotas} checked (known kinds, parseable windows) and copied. */
  static Map<String, List<String>> quotas(Map<String, List<String>> quotas, Dialects dialects) {
    Set<String> kinds = dialects.quotaKinds();
    Map<String, List<String>> q = new LinkedHashMap<>();
    quotas.forEach(
        (kind, specs) -> {
          if (!kinds.contains(kind)) {
            throw new IllegalArgumentException(
                "quotas: unknown endpoint kind '"
                    + kind
                    + "' (known: "
                    + dialects.quotaKindsText()
                    + ")");
          }
          for (int i = 0; i < specs.size(); i++) {
            QuotaSpec.parse("quotas." + kind + "[" + i + "]", specs.get(i));
          }
          q.put(kind, List.copyOf(specs));
        });
    return Map.copyOf(q);
  }

  /**
   * The fault probabilities ({@code p500, p502, p503, p504, p429, pReset, pSlow}, each in [0, 1],
   * summing to at most 1) and {@code pDropUpdate} (in [0, 1]).
   */
  static void probabilities(double[] ps, double pDropUpdate) {
    String[] names = {"p500", "p502", "p503", "p504", "p429", "pReset", "pSlow"};
    double sum = 0;
    for (int i = 0; i < ps.length; i++) {
      if (!(ps[i] >= 0 && ps[i] <= 1)) {
        throw new IllegalArgumentException(names[i] + " must be in [0, 1], got " + ps[i]);
      }
      sum += ps[i];
    }
    if (!(pDropUpdate >= 0 && pDropUpdate <= 1)) {
      throw new IllegalArgumentException("pDropUpdate must be in [0, 1], got " + pDropUpdate);
    }
    if (sum > 1 + 1e-9) {
      throw new IllegalArgumentException("fault probabilities must sum to at most 1, got " + sum);
    }
  }

  /** A {@code property/room/ratePlan/date} cell key split in four, checked. */
  static String[] parseCell(String key, String cell) {
    String[] parts = cell.split("/", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException(
          key + ": expected property/room/ratePlan/date, got '" + cell + "'");
    }
    for (String p : parts) {
      if (p.isEmpty()) {
        throw new IllegalArgumentException(key + ": empty part in '" + cell + "'");
      }
    }
    try {
      LocalDate.parse(parts[3]);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          key + ": '" + parts[3] + "' in '" + cell + "' is not a date (yyyy-MM-dd)", e);
    }
    return parts;
  }
}
