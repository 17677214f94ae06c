package dev.paritysync.app;

import dev.paritysync.app.admin.Views;
import dev.paritysync.royalty.DeadLetterReplay;
import dev.paritysync.store.LedgerEntry;
import dev.paritysync.store.QueueItem;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Renders queue items for an operator (text) and for machines (JSON-able maps). */
final class QueueFormat {
  static final int REASON_WIDTH = 60;
  static final int CELLS_SHOWN = 50;

  private QueueFormat() {}

  /** How many cells the item's batch holds; 0 when it has no batch. */
  static int cellCount(QueueItem item) {
    return Views.cellCount(item);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> batch(QueueItem item) {
    return item.evidence().get("batch") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static List<?> cells(QueueItem item) {
    return batch(item).get("cells") instanceof List<?> l ? l : List.of();
  }

  /** The {@code list} table; with {@code withState} a state column too. */
  static void table(PrintWriter out, List<QueueItem> items, Instant now, boolean withState) {
    if (items.isEmpty()) {
      return;
    }
    List<String> header = new ArrayList<>(List.of("ID", "QUEUE", "CHANNEL", "AGE"));
    if (withState) {
      header.add("STATE");
    }
    header.addAll(List.of("CELLS", "REASON"));
    List<List<String>> rows = new ArrayList<>();
    rows.add(header);
    for (QueueItem item : items) {
      List<String> row =
          new ArrayList<>(
              List.of(
                  item.id(),
                  QueueCommand.queueName(item.queue()),
                  item.channel(),
                  age(Duration.between(item.createdAt(), now))));
      if (withState) {
        row.add(item.state().name().toLowerCase(Locale.ROOT));
      }
      row.add(String.valueOf(cellCount(item)));
      row.add(truncate(oneLine(item.reason()), REASON_WIDTH));
      rows.add(row);
    }
    int[] widths = new int[header.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        line.append(cell);
        if (i < row.size() - 1) {
          line.append(" ".repeat(widths[i] - cell.length() + 2));
        }
      }
      out.println(line);
    }
  }

  /** Everything the item keeps, for {@code show}. */
  static void show(PrintWriter out, QueueItem item, List<LedgerEntry> trail, Instant now) {
    String state = item.state().name().toLowerCase(Locale.ROOT);
    out.printf("item         %s%n", item.id());
    out.printf("queue        %s, %s%n", QueueCommand.queueName(item.queue()), state);
    out.printf("channel      %s%n", item.channel());
    out.printf("batch id     %s%n", item.subject());
    out.printf("correlation  %s%n", item.correlationId() == null ? "-" : item.correlationId());
    out.printf(
        "entered      %s (%s ago)%n",
        item.createdAt(), age(Duration.between(item.createdAt(), now)));
    if (item.closedAt() != null) {
      out.printf(
          "closed       %s%s%n",
          item.closedAt(), item.closedReason() == null ? "" : ": " + item.closedReason());
    }
    out.printf("reason       %s%n", item.reason());
    if (DeadLetterReplay.isReportRow(item)) {
      reportRow(out, item.evidence());
    }

    printBatch(out, item);
    List<?> fieldErrors = list(item.evidence().get("fieldErrors"));
    if (!fieldErrors.isEmpty()) {
      out.println();
      out.println("field errors:");
      for (Object fe : fieldErrors) {
        Map<?, ?> m = fe instanceof Map<?, ?> map ? map : Map.of();
        out.printf("  %s: %s%n", m.get("path"), m.get("message"));
      }
    }

    printAttempts(out, item);

    if (item.evidence().get("request") instanceof Map<?, ?> request) {
      out.println();
      out.printf("last request: %s %s%n", request.get("method"), request.get("uri"));
      headersAndBody(out, request);
    }
    if (item.evidence().get("response") instanceof Map<?, ?> response) {
      out.println();
      out.printf(
          "last response: %s (%s ms)%n", response.get("status"), response.get("latencyMillis"));
      headersAndBody(out, response);
    }

    out.println();
    out.println("ledger (" + item.subject() + "):");
    for (LedgerEntry e : trail) {
      String attributes =
          e.attributes().entrySet().stream()
              .map(x -> x.getKey() + "=" + x.getValue())
              .collect(Collectors.joining(" "));
      out.printf("  %s  %-22s %s%n", e.at(), e.kind(), attributes);
    }
  }

  /** The batch's property, ranges and first cells, when the item holds a batch. */
  private static void printBatch(PrintWriter out, QueueItem item) {
    Map<String, Object> batch = batch(item);
    if (!batch.isEmpty()) {
      out.println();
      out.printf(
          "batch: property %s, %d cells, %d ranges%n",
          batch.get("property"), cellCount(item), list(batch.get("ranges")).size());
      for (Object r : list(batch.get("ranges"))) {
        out.println("  " + range(r));
      }
      List<?> cells = cells(item);
      out.print("  cells (room/plan/date@version):");
      for (int i = 0; i < Math.min(cells.size(), CELLS_SHOWN); i++) {
        List<?> c = list(cells.get(i));
        out.print(
            (i % 4 == 0 ? "\n    " : "  ")
                + c.stream().limit(3).map(String::valueOf).collect(Collectors.joining("/"))
                + "@"
                + (c.size() > 3 ? c.get(3) : "?"));
      }
      out.println();
      if (cells.size() > CELLS_SHOWN) {
        out.printf("    ... %d more (--json shows all)%n", cells.size() - CELLS_SHOWN);
      }
    }
  }

  /** Every attempt: status, latency, delay, action and field errors. */
  private static void printAttempts(PrintWriter out, QueueItem item) {
    out.println();
    out.println("attempts:");
    if (item.attempts().isEmpty()) {
      out.println("  none");
    }
    for (Map<String, Object> a : item.attempts()) {
      Object delay = a.get("delayMillis");
      out.printf(
          "  #%s  status %s  latency %s ms  delay %s  action %s%n",
          a.get("attempt"),
          a.get("status"),
          a.get("latencyMillis"),
          delay == null ? "-" : delay + " ms",
          a.get("action"));
      Object fe = a.get("fieldErrors");
      if (fe != null) {
        out.printf("      field errors %s%n", fe);
      }
    }
  }

  /** A dead-lettered royalty report row: where it is, its raw line and its values as read. */
  private static void reportRow(PrintWriter out, Map<String, Object> e) {
    out.println();
    out.printf(
        "row: source %s, report %s, line %s, field %s%n",
        e.get("source"), e.get("report"), e.get("row"), e.get("field"));
    out.println("  raw line (as written, at most 200 characters; a tab shown as \\t):");
    out.println("    " + String.valueOf(e.get("excerpt")).replace("\t", "\\t"));
    if (e.get("values") instanceof Map<?, ?> values && !values.isEmpty()) {
      out.println("  values as read:");
      values.forEach((k, v) -> out.printf("    %-16s %s%n", k, v));
    } else {
      out.println("  values as read: none kept (the line's fields cannot be trusted)");
    }
  }

  private static void headersAndBody(PrintWriter out, Map<?, ?> message) {
    if (message.get("headers") instanceof Map<?, ?> headers) {
      headers.forEach(
          (name, values) ->
              out.printf(
                  "  %s: %s%n",
                  name,
                  list(values).stream().map(String::valueOf).collect(Collectors.joining(", "))));
    }
    out.printf(
        "  body (%s bytes%s):%n",
        message.get("bodyBytes"),
        Boolean.TRUE.equals(message.get("bodyTruncated")) ? ", truncated" : "");
    String body = String.valueOf(message.get("body"));
    for (String line : body.split("\n", -1)) {
      out.println("    " + line);
    }
  }

  private static String range(Object r) {
    return Views.range(r);
  }

  private static List<?> list(@Nullable Object value) {
    return value instanceof List<?> l ? l : List.of();
  }

  /** A short age: 42s, 12m, 5h, 3d. */
  static String age(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m";
    }
    if (s < 86_400) {
      return s / 3600 + "h";
    }
    return s / 86_400 + "d";
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }
}
