package dev.paritysync.app.ui;

import dev.paritysync.hotel.reconcile.DriftCell;
import dev.paritysync.hotel.reconcile.DriftClass;
import dev.paritysync.hotel.reconcile.ReconciliationReport;
import dev.paritysync.hotel.reconcile.ReportWriters;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the reconciliation pages show of a stored report, in words: statuses and drift classes each
 * with a word, a symbol and a CSS class (prefixed {@code recon-}), per-class counts, the drift
 * table, and the heat map (one row per channel and property, one square per date of the range, the
 * square's class the most urgent of its cells'). Stateless.
 */
final class ReportView {
  /** The most cells the report page lists; the admin API's CSV has them all. */
  static final int MAX_CELLS_SHOWN = 500;

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  /** Most urgent first: the class a heat-map square takes when its date has several. */
  private static final List<DriftClass> URGENCY =
      List.of(
          DriftClass.MISSING,
          DriftClass.STALE,
          DriftClass.UNKNOWN_VALUE,
          DriftClass.IN_FLIGHT,
          DriftClass.QUEUED);

  private ReportView() {}

  /**
   * A sign: a word, a symbol and a CSS class, so no state is told by colour alone.
   *
   * @param word the state in words
   * @param symbol its symbol
   * @param css its CSS class
   */
  record Sign(String word, String symbol, String css) {}

  /**
   * How many cells of a report fell in one drift class.
   *
   * @param sign the class
   * @param count how many
   */
  record Count(Sign sign, int count) {}

  /** The sign of a square whose date has no differing cell. */
  static final Sign SAME = new Sign("no difference", "·", "recon-same");

  /** The sign of a drift class. */
  static Sign sign(DriftClass k) {
    return switch (k) {
      case STALE -> new Sign("stale", "◐", "recon-stale");
      case UNKNOWN_VALUE -> new Sign("unknown value", "?", "recon-unknown");
      case MISSING -> new Sign("missing", "○", "recon-missing");
      case UNMAPPED -> new Sign("unmapped", "#", "recon-unmapped");
      case QUEUED -> new Sign("queued", "…", "recon-queued");
      case IN_FLIGHT -> new Sign("in flight", "→", "recon-inflight");
    };
  }

  /** The sign of a report's or group's status. */
  static Sign sign(ReconciliationReport.Status s) {
    return switch (s) {
      case CLEAN -> new Sign("clean", "●", "ok");
      case APPROVED -> new Sign("approved, re-pushed", "✓", "ok");
      case AUTO_CORRECTED -> new Sign("auto-corrected", "↻", "ok");
      case UNREADABLE -> new Sign("unreadable", "▲", "bad");
      case REVIEW -> new Sign("held for review", "◆", "warn");
    };
  }

  /** The legend of the heat map: every class a square may take, and a square without drift. */
  static List<Sign> legend() {
    List<Sign> out = new ArrayList<>();
    URGENCY.forEach(k -> out.add(sign(k)));
    out.add(SAME);
    return out;
  }

  /** {@code d} as {@code yyyy-MM-dd}, or {@code –} for a report stored without it. */
  static String date(@Nullable LocalDate d) {
    return d == null ? "–" : d.toString();
  }

  /** When, as {@code yyyy-MM-dd HH:mm:ss UTC}. */
  static String when(Instant at) {
    return WHEN.format(at);
  }

  /** The non-zero counts per drift class over {@code groups}. */
  static List<Count> counts(List<ReconciliationReport.Group> groups) {
    Map<DriftClass, Integer> sum = new EnumMap<>(DriftClass.class);
    for (ReconciliationReport.Group g : groups) {
      g.counts().forEach((k, n) -> sum.merge(k, n, Integer::sum));
    }
    List<Count> out = new ArrayList<>();
    sum.forEach(
        (k, n) -> {
          if (n > 0) {
            out.add(new Count(sign(k), n));
          }
        });
    return out;
  }

  /** The drifted cells of {@code r} held for review (its {@code REVIEW} groups' drift). */
  static int held(ReconciliationReport r) {
    return r.groups().stream()
        .filter(g -> g.status() == ReconciliationReport.Status.REVIEW)
        .mapToInt(g -> g.correctable().size())
        .sum();
  }

  /** The channels and properties of {@code r}, as {@code a · P1, b · P1}. */
  static String scope(ReconciliationReport r) {
    if (r.groups().isEmpty()) {
      return "nothing read";
    }
    return String.join(
        ", ", r.groups().stream().map(g -> g.channel() + " · " + g.property()).toList());
  }

  /**
   * One row of the report's table of channels and properties.
   *
   * @param channel the channel
   * @param property the property
   * @param status what was done
   * @param compared cells compared
   * @param drifted cells drifted
   * @param percent drifted in % of compared
   * @param counts the non-zero counts per class
   * @param repushed cells re-pushed
   * @param note why the channel could not be read, or null
   */
  record GroupRow(
      String channel,
      String property,
      Sign status,
      int compared,
      int drifted,
      String percent,
      List<Count> counts,
      int repushed,
      @Nullable String note) {}

  static List<GroupRow> groups(ReconciliationReport r) {
    return r.groups().stream()
        .map(
            g ->
                new GroupRow(
                    g.channel(),
                    g.property(),
                    sign(g.status()),
                    g.compared(),
                    g.drifted(),
                    String.format(java.util.Locale.ROOT, "%.2f %%", g.driftPercent()),
                    counts(List.of(g)),
                    g.repushed(),
                    g.note()))
        .toList();
  }

  /**
   * One differing cell, truth beside what the channel holds.
   *
   * @param channel the channel
   * @param property the property
   * @param room the room type (or the unknown channel code)
   * @param ratePlan the rate plan, or empty
   * @param date the date, or empty for an unmapped code
   * @param truth truth's values, or "nothing"
   * @param held what the channel holds, or "nothing"
   * @param sign its class
   * @param outcome what was done about it: repaired, held, or why neither
   */
  record Drift(
      String channel,
      String property,
      String room,
      String ratePlan,
      String date,
      String truth,
      String held,
      Sign sign,
      String outcome) {}

  /** The report's differing cells, at most {@link #MAX_CELLS_SHOWN}. */
  static List<Drift> cells(ReconciliationReport r) {
    List<Drift> out = new ArrayList<>();
    for (ReconciliationReport.Group g : r.groups()) {
      for (DriftCell c : g.cells()) {
        if (out.size() == MAX_CELLS_SHOWN) {
          return out;
        }
        out.add(
            new Drift(
                g.channel(),
                g.property(),
                c.roomType(),
                c.ratePlan() == null ? "" : c.ratePlan(),
                c.date() == null ? "" : c.date().toString(),
                c.truth() == null ? "nothing" : ReportWriters.describe(c.truth()),
                c.channel() == null ? "nothing" : ReportWriters.describe(c.channel()),
                sign(c.kind()),
                outcome(g.status(), c)));
      }
    }
    return out;
  }

  /** How many differing cells {@code r} has in all. */
  static int cellCount(ReconciliationReport r) {
    return r.groups().stream().mapToInt(g -> g.cells().size()).sum();
  }

  private static String outcome(ReconciliationReport.Status status, DriftCell c) {
    if (!c.kind().drift()) {
      return c.kind() == DriftClass.UNMAPPED
          ? "not repaired: the mapping does not know the code"
          : "not drift: truth is on its way";
    }
    if (!c.correctable()) {
      return "not repaired: truth has nothing to send";
    }
    return switch (status) {
      case REVIEW -> "held for review";
      case AUTO_CORRECTED -> "repaired: re-pushed automatically";
      case APPROVED -> "repaired: re-pushed on approval";
      default -> "not repaired";
    };
  }

  /**
   * One row of the heat map: a channel and property over the report's dates.
   *
   * @param label {@code channel · property}
   * @param squares one per date, in order
   */
  record HeatRow(String label, List<Square> squares) {}

  /**
   * One date of a heat-map row.
   *
   * @param date the date
   * @param sign the most urgent class of its cells, or {@link #SAME}
   * @param text the date's state in words, shown on hover and focus
   */
  record Square(String date, Sign sign, String text) {
    /** Whether the square takes keyboard focus: only those with something to say. */
    public boolean focusable() {
      return !SAME.equals(sign);
    }
  }

  /** The heat map of {@code r}: one row per group, one square per date from..to. */
  static List<HeatRow> heat(ReconciliationReport r) {
    List<HeatRow> rows = new ArrayList<>();
    for (ReconciliationReport.Group g : r.groups()) {
      Map<LocalDate, Map<DriftClass, Integer>> byDate = new LinkedHashMap<>();
      for (DriftCell c : g.cells()) {
        if (c.date() != null) {
          byDate
              .computeIfAbsent(c.date(), d -> new EnumMap<>(DriftClass.class))
              .merge(c.kind(), 1, Integer::sum);
        }
      }
      List<Square> squares = new ArrayList<>();
      LocalDate from = r.from();
      LocalDate to = r.to();
      for (LocalDate d = from; d != null && to != null && !d.isAfter(to); d = d.plusDays(1)) {
        squares.add(square(d, byDate.get(d)));
      }
      rows.add(new HeatRow(g.channel() + " · " + g.property(), squares));
    }
    return rows;
  }

  private static Square square(LocalDate d, @Nullable Map<DriftClass, Integer> kinds) {
    if (kinds == null) {
      return new Square(d.toString(), SAME, d + ": no difference");
    }
    DriftClass top =
        URGENCY.stream().filter(kinds::containsKey).findFirst().orElse(DriftClass.QUEUED);
    List<String> parts = new ArrayList<>();
    kinds.forEach((k, n) -> parts.add(n + " " + sign(k).word()));
    return new Square(d.toString(), sign(top), d + ": " + String.join(", ", parts));
  }
}
