package dev.paritysync.hotel.reconcile;

import dev.paritysync.hotel.ari.CellValues;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Writes a {@link ReconciliationReport} as JSON (everything, readable back by the store), CSV (one
 * row per differing cell) or one self-contained HTML page (inline CSS, no scripts, no external
 * assets): per channel and property, the counts per class, a calendar heat map of drift by date,
 * and the table of differing cells with truth's and the channel's values side by side. Stateless.
 */
public final class ReportWriters {
  /** The CSV header. */
  public static final String CSV_HEADER =
      "report,channel,property,status,class,room_type,rate_plan,date,truth_version,truth,channel";

  private ReportWriters() {}

  /** The report as indented JSON. */
  public static String json(ReconciliationReport report) {
    return ReportJson.write(report);
  }

  /** The report as CSV (RFC 4180, header {@link #CSV_HEADER}), one row per differing cell. */
  public static String csv(ReconciliationReport report) {
    StringBuilder b = new StringBuilder(CSV_HEADER).append("\r\n");
    for (ReconciliationReport.Group g : report.groups()) {
      for (DriftCell c : g.cells()) {
        b.append(
                String.join(
                    ",",
                    csv(report.id()),
                    csv(g.channel()),
                    csv(g.property()),
                    g.status().name(),
                    c.kind().name(),
                    csv(c.roomType()),
                    csv(c.ratePlan()),
                    c.date() == null ? "" : c.date().toString(),
                    c.truthVersion() == null ? "" : c.truthVersion().toString(),
                    csv(describe(c.truth())),
                    csv(describe(c.channel()))))
            .append("\r\n");
      }
    }
    return b.toString();
  }

  /** {@code v} in a few words: {@code rate 120.00 EUR, minLos 2}; empty for null. */
  public static String describe(@Nullable CellValues v) {
    if (v == null) {
      return "";
    }
    Map<String, Object> m = Objects.requireNonNull(ReportJson.values(v));
    StringBuilder b = new StringBuilder();
    m.forEach(
        (k, val) -> {
          if (k.equals("currency")) {
            return;
          }
          if (b.length() > 0) {
            b.append(", ");
          }
          b.append(k).append(' ').append(val);
          if (k.equals("rate") && m.get("currency") != null) {
            b.append(' ').append(m.get("currency"));
          }
        });
    return b.toString();
  }

  private static String csv(@Nullable String s) {
    if (s == null || s.isEmpty()) {
      return "";
    }
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }

  /** The report as one self-contained HTML page. */
  public static String html(ReconciliationReport report) {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<title>Reconciliation ")
        .append(esc(report.id()))
        .append("</title>\n<style>\n")
        .append(CSS)
        .append("</style></head><body>\n<h1>Reconciliation report</h1>\n<p class=\"meta\">")
        .append("Report <code>")
        .append(esc(report.id()))
        .append("</code> · ")
        .append(esc(report.createdAt().toString()))
        .append(" · dates ")
        .append(esc(String.valueOf(report.from())))
        .append(" to ")
        .append(esc(String.valueOf(report.to())))
        .append(" · status <span class=\"status ")
        .append(report.status().name())
        .append("\">")
        .append(report.status().name())
        .append("</span></p>\n");
    if (report.status() == ReconciliationReport.Status.REVIEW) {
      b.append("<p class=\"review\">Drift over the thresholds: nothing was pushed. To re-push")
          .append(" truth, run <code>paritysync reconcile approve ")
          .append(esc(report.id()))
          .append(" --config FILE</code>.</p>\n");
    }
    for (ReconciliationReport.Group g : report.groups()) {
      group(b, report, g);
    }
    b.append("</body></html>\n");
    return b.toString();
  }

  private static void group(StringBuilder b, ReconciliationReport r, ReconciliationReport.Group g) {
    b.append("<section class=\"group\">\n<h2>")
        .append(esc(g.property()))
        .append(" on ")
        .append(esc(g.channel()))
        .append(" <span class=\"status ")
        .append(g.status().name())
        .append("\">")
        .append(g.status().name())
        .append("</span></h2>\n");
    if (g.note() != null) {
      b.append("<p class=\"note\">").append(esc(g.note())).append("</p>\n");
    }
    b.append("<p>")
        .append(g.compared())
        .append(" cells compared, ")
        .append(g.drifted())
        .append(" drifted (")
        .append(g.driftPercent())
        .append(" %), ")
        .append(g.repushed())
        .append(" re-pushed.</p>\n<table class=\"counts\"><tr>");
    g.counts().keySet().forEach(k -> b.append("<th>").append(k.name()).append("</th>"));
    b.append("</tr><tr>");
    g.counts().values().forEach(v -> b.append("<td>").append(v).append("</td>"));
    b.append("</tr></table>\n");
    heatMap(b, r, g);
    b.append("<table class=\"cells\"><thead><tr><th>class</th><th>room type</th>")
        .append("<th>rate plan</th><th>date</th><th>truth</th><th>channel</th></tr></thead>")
        .append("<tbody>\n");
    for (DriftCell c : g.cells()) {
      b.append("<tr class=\"")
          .append(c.kind().name())
          .append("\"><td>")
          .append(c.kind().name())
          .append("</td><td>")
          .append(esc(c.roomType()))
          .append("</td><td>")
          .append(esc(c.ratePlan() == null ? "" : c.ratePlan()))
          .append("</td><td>")
          .append(c.date() == null ? "" : c.date().toString())
          .append("</td><td>")
          .append(esc(describe(c.truth())))
          .append("</td><td>")
          .append(esc(describe(c.channel())))
          .append("</td></tr>\n");
    }
    b.append("</tbody></table>\n</section>\n");
  }

  /** One small month calendar per month of the range; a day's shade grows with its drift. */
  private static void heatMap(
      StringBuilder b, ReconciliationReport r, ReconciliationReport.Group g) {
    Map<LocalDate, Long> byDate =
        g.cells().stream()
            .filter(c -> c.kind().drift() && c.date() != null)
            .collect(Collectors.groupingBy(DriftCell::date, TreeMap::new, Collectors.counting()));
    LocalDate from = r.from();
    LocalDate to = r.to();
    if (from == null || to == null) {
      if (byDate.isEmpty()) {
        return;
      }
      from = ((TreeMap<LocalDate, Long>) byDate).firstKey();
      to = ((TreeMap<LocalDate, Long>) byDate).lastKey();
    }
    long max = byDate.values().stream().mapToLong(Long::longValue).max().orElse(0);
    b.append("<div class=\"heatmap\">\n");
    for (YearMonth m = YearMonth.from(from); !m.isAfter(YearMonth.from(to)); m = m.plusMonths(1)) {
      b.append("<table class=\"month\"><caption>")
          .append(m.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH))
          .append(' ')
          .append(m.getYear())
          .append("</caption><tr>");
      for (DayOfWeek d : DayOfWeek.values()) {
        b.append("<th>").append(d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH)).append("</th>");
      }
      b.append("</tr><tr>");
      int lead = m.atDay(1).getDayOfWeek().getValue() - 1;
      b.append("<td></td>".repeat(lead));
      int col = lead;
      for (int day = 1; day <= m.lengthOfMonth(); day++) {
        LocalDate date = m.atDay(day);
        if (col == 7) {
          b.append("</tr><tr>");
          col = 0;
        }
        boolean inRange = !date.isBefore(from) && !date.isAfter(to);
        long n = byDate.getOrDefault(date, 0L);
        int level = n == 0 || max == 0 ? 0 : (int) Math.max(1, Math.round(4.0 * n / max));
        b.append("<td class=\"day ")
            .append(inRange ? "h" + level : "out")
            .append("\" title=\"")
            .append(date)
            .append(": ")
            .append(n)
            .append(" drifted\">")
            .append(day)
            .append("</td>");
        col++;
      }
      b.append("<td></td>".repeat(7 - col)).append("</tr></table>\n");
    }
    b.append("<p class=\"legend\">Shade: drifted cells per date (darkest = ")
        .append(max)
        .append(").</p></div>\n");
  }

  private static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static final String CSS =
      """
      body{font-family:system-ui,sans-serif;margin:2em;color:#222}
      h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em}
      .meta{color:#555}.note{color:#a33}
      .review{background:#fff4e5;border-left:4px solid #e69500;padding:.5em 1em}
      .status{font-size:.8em;padding:.1em .5em;border-radius:3px;background:#ddd}
      .status.REVIEW{background:#e69500;color:#fff}.status.CLEAN{background:#3a7;color:#fff}
      .status.AUTO_CORRECTED,.status.APPROVED{background:#37a;color:#fff}
      .status.UNREADABLE{background:#a33;color:#fff}
      table{border-collapse:collapse;margin:.5em 0}
      th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left}
      .heatmap{display:flex;flex-wrap:wrap;gap:1em}
      .month td,.month th{width:2em;text-align:center;padding:.15em}
      .month caption{font-weight:bold}
      .day.h0{background:#f4f4f4}.day.h1{background:#fdd0a2}.day.h2{background:#fdae6b}
      .day.h3{background:#f16913;color:#fff}.day.h4{background:#a63603;color:#fff}
      .day.out{color:#bbb;background:#fff}
      .legend{width:100%;color:#555;font-size:.85em}
      tr.STALE td:first-child{color:#a63603}tr.UNKNOWN_VALUE td:first-child{color:#a33}
      tr.MISSING td:first-child{color:#d00}
      """;
}
