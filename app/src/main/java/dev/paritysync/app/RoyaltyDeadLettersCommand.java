package dev.paritysync.app;

import dev.paritysync.royalty.DeadLetterReplay;
import dev.paritysync.royalty.validate.UsagePeriod;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code paritysync royalty dead-letters}: the dead-lettered report rows, filtered by source,
 * report, field, reason and period, as a table or as CSV with their raw line.
 */
@Command(
    name = "dead-letters",
    mixinStandardHelpOptions = true,
    description = {
      "Lists dead-lettered report rows, oldest first (open ones unless --state says otherwise):",
      "id, state, source, report, line, field, reason and the raw line. --csv writes RFC 4180 CSV",
      "with a header row to a file or to standard output (-). queue show/replay/discard take the ids."
    })
final class RoyaltyDeadLettersCommand implements Callable<Integer> {
  static final List<String> COLUMNS =
      List.of("id", "state", "entered", "source", "report", "line", "field", "reason", "raw_line");

  @ParentCommand RoyaltyCommand parent;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--db", paramLabel = "FILE", description = "the SQLite file")
  @Nullable Path db;

  @Option(names = "--url", paramLabel = "jdbc:...", description = "a JDBC URL instead of --db")
  @Nullable String url;

  @Option(names = "--source", paramLabel = "NAME", description = "one source")
  @Nullable String source;

  @Option(names = "--report", paramLabel = "NAME", description = "one report, as delivered")
  @Nullable String report;

  @Option(names = "--field", paramLabel = "KEY", description = "the failing field, e.g. isrc")
  @Nullable String field;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      description = "reasons containing TEXT, case ignored")
  @Nullable String reason;

  @Option(
      names = "--period",
      paramLabel = "YYYY-MM",
      description = "rows whose usage month (as read) or whose report's period is YYYY-MM")
  @Nullable String period;

  @Option(
      names = "--state",
      paramLabel = "open|replayed|discarded|all",
      defaultValue = "open",
      description = "which rows (default: ${DEFAULT-VALUE})")
  String state;

  @Option(names = "--csv", paramLabel = "FILE|-", description = "CSV to FILE, or - for stdout")
  @Nullable String csv;

  @Override
  public Integer call() throws IOException {
    YearMonth month = month();
    QueueItem.State wanted = state();
    List<QueueItem> rows = new ArrayList<>();
    try (Database database = Database.open(RoyaltyCommand.database(db, url, 1))) {
      Map<String, String> periods = month == null ? Map.of() : reportPeriods(database);
      Queues queues = new Queues(new Ledger(parent.clock), parent.clock);
      Queues.Filter base = Queues.Filter.all().withQueue(QueueItem.Queue.DEAD_LETTER);
      base = wanted == null ? base : base.withState(wanted);
      base = source == null ? base : base.withChannel(source);
      Queues.Filter query = base.withLimit(500);
      while (true) {
        Queues.Filter q = query;
        List<QueueItem> page = database.read(c -> queues.list(c, q));
        page.stream().filter(i -> matches(i, month, periods)).forEach(rows::add);
        if (page.size() < 500) {
          break;
        }
        QueueItem last = page.get(page.size() - 1);
        query = base.withLimit(500).withAfter(last.createdAt(), last.id());
      }
    }
    if (csv == null) {
      table(spec.commandLine().getOut(), rows);
    } else if (csv.equals("-")) {
      writeCsv(spec.commandLine().getOut(), rows);
    } else {
      try (Writer w = Files.newBufferedWriter(Path.of(csv), StandardCharsets.UTF_8)) {
        writeCsv(w, rows);
      }
      spec.commandLine().getErr().printf("%d dead letters written to %s%n", rows.size(), csv);
      spec.commandLine().getErr().flush();
    }
    return 0;
  }

  private boolean matches(QueueItem item, @Nullable YearMonth month, Map<String, String> periods) {
    if (!DeadLetterReplay.isReportRow(item)) {
      return false;
    }
    Map<String, Object> e = item.evidence();
    if (report != null && !report.equals(String.valueOf(e.get("report")))) {
      return false;
    }
    if (field != null && !field.equalsIgnoreCase(String.valueOf(e.get("field")))) {
      return false;
    }
    if (reason != null
        && !item.reason().toLowerCase(Locale.ROOT).contains(reason.toLowerCase(Locale.ROOT))) {
      return false;
    }
    return month == null
        || month.toString().equals(periods.get(item.channel() + "\n" + e.get("report")))
        || month.equals(usageMonth(e.get("values")));
  }

  /** The month the row's usage began, as its values read; null when they do not say. */
  static @Nullable YearMonth usageMonth(@Nullable Object values) {
    if (!(values instanceof Map<?, ?> v)) {
      return null;
    }
    try {
      if (v.get("period") != null && !String.valueOf(v.get("period")).isBlank()) {
        return UsagePeriod.parse(String.valueOf(v.get("period"))).partitionMonth();
      }
      if (v.get("periodStart") != null) {
        Object end = v.get("periodEnd") == null ? v.get("periodStart") : v.get("periodEnd");
        return UsagePeriod.parse(String.valueOf(v.get("periodStart")), String.valueOf(end))
            .partitionMonth();
      }
    } catch (IllegalArgumentException | DateTimeParseException e) {
      return null;
    }
    return null;
  }

  /** source + "\n" + report (as delivered) → the period recorded with its current delivery. */
  private static Map<String, String> reportPeriods(Database database) {
    return database.read(
        c -> {
          Map<String, String> out = new HashMap<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT source, report, period FROM royalty_deliveries"
                          + " WHERE replaced_by IS NULL AND period IS NOT NULL");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.put(rs.getString(1) + "\n" + rs.getString(2), rs.getString(3));
            }
          }
          return out;
        });
  }

  private static List<String> cells(QueueItem item) {
    Map<String, Object> e = item.evidence();
    return List.of(
        item.id(),
        item.state().name().toLowerCase(Locale.ROOT),
        item.createdAt().toString(),
        item.channel(),
        String.valueOf(e.get("report")),
        String.valueOf(e.get("row")),
        String.valueOf(e.get("field")),
        item.reason(),
        String.valueOf(e.getOrDefault("excerpt", "")));
  }

  private static void table(PrintWriter out, List<QueueItem> rows) {
    out.println(String.join("\t", COLUMNS));
    for (QueueItem item : rows) {
      out.println(
          String.join(
              "\t",
              cells(item).stream().map(c -> c.replace("\t", "\\t").replace("\n", "\\n")).toList()));
    }
    if (rows.isEmpty()) {
      out.println("no dead letters");
    }
    out.flush();
  }

  /** RFC 4180: CRLF line ends, a field with a comma, quote, CR or LF in quotes, quotes doubled. */
  static void writeCsv(Writer w, List<QueueItem> rows) throws IOException {
    w.write(String.join(",", COLUMNS) + "\r\n");
    for (QueueItem item : rows) {
      w.write(
          String.join(",", cells(item).stream().map(RoyaltyDeadLettersCommand::quote).toList()));
      w.write("\r\n");
    }
    w.flush();
  }

  static String quote(String cell) {
    if (cell.indexOf(',') < 0
        && cell.indexOf('"') < 0
        && cell.indexOf('\r') < 0
        && cell.indexOf('\n') < 0) {
      return cell;
    }
    return '"' + cell.replace("\"", "\"\"") + '"';
  }

  private @Nullable YearMonth month() {
    if (period == null) {
      return null;
    }
    try {
      return YearMonth.parse(period);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--period: '" + period + "' is not YYYY-MM", e);
    }
  }

  private QueueItem.@Nullable State state() {
    return switch (state) {
      case "open" -> QueueItem.State.OPEN;
      case "replayed" -> QueueItem.State.REPLAYED;
      case "discarded" -> QueueItem.State.DISCARDED;
      case "all" -> null;
      default ->
          throw new IllegalArgumentException(
              "--state: '" + state + "' is not open, replayed, discarded or all");
    };
  }
}
