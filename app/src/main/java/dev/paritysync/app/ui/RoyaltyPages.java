package dev.paritysync.app.ui;

import dev.paritysync.core.time.Clock;
import dev.paritysync.royalty.IngestedDelivery;
import dev.paritysync.royalty.drift.DriftRuns;
import dev.paritysync.store.Database;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The royalty pages, read from serve's database, where {@code paritysync royalty ingest|pull} with
 * the same {@code --db}/{@code --url} record them: {@code /ui/royalty} lists the deliveries (newest
 * first, {@value #DELIVERIES} a page) and counts the open dead-lettered rows by source, field and
 * reason; {@code /ui/royalty/dead-letters} lists one group's rows with their raw line. Read only:
 * replaying or discarding a row needs the lake, which is the CLI's ({@code paritysync royalty
 * replay}, {@code paritysync queue discard}). Where the tables are absent or empty the page says so
 * and names the command that fills them.
 */
final class RoyaltyPages {
  /** Deliveries on one page. */
  static final int DELIVERIES = 25;

  /** Rows on one page of a dead-letter group. */
  static final int ROWS = 50;

  /** The highest delivery page. */
  static final int MAX_PAGE = 1000;

  /** The periods whose last drift check is shown. */
  static final int DRIFT_PERIODS = 3;

  /** The longest source name a filter takes. */
  static final int MAX_SOURCE = 100;

  private static final Set<String> OVERVIEW_QUERY = Set.of("source", "page");
  private static final Set<String> ROWS_QUERY = Set.of("source", "field", "reason", "cursor");
  private static final Pattern PAGE = Pattern.compile("[1-9][0-9]{0,3}");
  private static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,39}");
  private static final Pattern ID = Pattern.compile("[0-9A-Za-z]{1,40}");
  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

  /**
   * The royalty page.
   *
   * @param present whether the royalty tables exist in this database
   * @param database the database, as serve names it
   * @param sources every source with a delivery, for the filter
   * @param source the source filtered on, or empty
   * @param deliveries this page's deliveries, newest first
   * @param page this page's number, from 1
   * @param previous the previous page's URL, or null
   * @param next the next page's URL, or null
   * @param groups the open dead-lettered rows by source, field and reason
   * @param scanned how many open dead letters were read to count them
   * @param capped true when more were left unread ({@link RoyaltyReads#MAX_SCAN})
   * @param drift the last drift checks kept in the database, latest first
   * @param csrf the session's CSRF token
   */
  record Shown(
      boolean present,
      String database,
      List<String> sources,
      String source,
      List<Line> deliveries,
      int page,
      @Nullable String previous,
      @Nullable String next,
      List<GroupLine> groups,
      long scanned,
      boolean capped,
      List<DriftRuns.Run> drift,
      String csrf) {}

  /**
   * One delivery.
   *
   * @param at when it was recorded (ISO-8601)
   * @param ago how long ago
   * @param source its source
   * @param reportId the report it delivered
   * @param report what it was delivered as (file name or the DSP's report id)
   * @param route {@code file} or {@code api}
   * @param valid rows written to the lake
   * @param dead rows dead-lettered
   * @param rejection dead rows of those read, as a percentage
   * @param state {@code complete}, {@code incomplete} or {@code replaced}
   * @param css the state's css class
   * @param symbol the state's symbol
   * @param why why it is incomplete or what replaced it; empty when complete
   */
  record Line(
      String at,
      String ago,
      String source,
      String reportId,
      String report,
      String route,
      long valid,
      long dead,
      String rejection,
      String state,
      String css,
      String symbol,
      String why) {}

  /**
   * One group of dead-lettered rows.
   *
   * @param source the source
   * @param field the field that failed
   * @param reason the reason, quoted values as {@code '…'}
   * @param rows open rows in it
   * @param href the URL of its rows
   */
  record GroupLine(String source, String field, String reason, long rows, String href) {}

  /**
   * A page of one group's rows.
   *
   * @param source the source
   * @param field the field, or empty for every field
   * @param reason the reason pattern, or empty for every reason
   * @param rows the rows, oldest first
   * @param next the next page's URL, or null
   * @param back the URL of the source's groups
   * @param csrf the session's CSRF token
   */
  record RowsPage(
      String source,
      String field,
      String reason,
      List<Row> rows,
      @Nullable String next,
      String back,
      String csrf) {}

  /**
   * One dead-lettered row.
   *
   * @param id the dead letter's id (for {@code paritysync queue show|discard})
   * @param report the report, as delivered
   * @param line the line of the report
   * @param field the field that failed
   * @param reason why, with its values
   * @param excerpt the start of the raw line
   * @param since when it was dead-lettered, and how long ago
   */
  record Row(
      String id,
      String report,
      String line,
      String field,
      String reason,
      String excerpt,
      String since) {}

  private final UiRoutes ui;
  private final Database db;
  private final RoyaltyReads reads;
  private final Clock clock;

  RoyaltyPages(UiRoutes ui, Database db, Clock clock) {
    this.ui = ui;
    this.db = db;
    this.reads = new RoyaltyReads(db, clock);
    this.clock = clock;
  }

  void overview(Context ctx) {
    Sessions.Session s = UiRoutes.session(ctx);
    Map<String, String> q = QueryParams.read(ctx, OVERVIEW_QUERY);
    String source = source(q);
    int page = page(q.get("page"));
    String database = Database.redactUrl(db.config().url());
    if (!reads.present()) {
      ui.page(
          ctx,
          200,
          "royalty.jte",
          UiRoutes.params(
              "royalty",
              new Shown(
                  false,
                  database,
                  List.of(),
                  source == null ? "" : source,
                  List.of(),
                  page,
                  null,
                  null,
                  List.of(),
                  0,
                  false,
                  List.of(),
                  s.csrf())));
      return;
    }
    Instant now = clock.instant();
    List<RoyaltyReads.Listed> listed =
        reads.deliveries(source, (long) (page - 1) * DELIVERIES, DELIVERIES + 1);
    List<Line> lines = new ArrayList<>();
    for (RoyaltyReads.Listed l : listed.subList(0, Math.min(DELIVERIES, listed.size()))) {
      lines.add(line(l, now));
    }
    String base = UiRoutes.PREFIX + "/royalty?" + (source == null ? "" : "source=" + enc(source));
    String sep = source == null ? "" : "&";
    String previous = page > 1 ? base + sep + "page=" + (page - 1) : null;
    String next =
        listed.size() > DELIVERIES && page < MAX_PAGE ? base + sep + "page=" + (page + 1) : null;
    RoyaltyReads.Groups groups = reads.groups(source);
    List<GroupLine> groupLines =
        groups.groups().stream()
            .map(
                g ->
                    new GroupLine(
                        g.source(),
                        g.field(),
                        g.reason(),
                        g.rows(),
                        UiRoutes.PREFIX
                            + "/royalty/dead-letters?source="
                            + enc(g.source())
                            + "&field="
                            + enc(g.field())
                            + "&reason="
                            + enc(g.reason())))
            .toList();
    ui.page(
        ctx,
        200,
        "royalty.jte",
        UiRoutes.params(
            "royalty",
            new Shown(
                true,
                database,
                reads.sources(),
                source == null ? "" : source,
                lines,
                page,
                previous,
                next,
                groupLines,
                groups.scanned(),
                groups.capped(),
                reads.drift(DRIFT_PERIODS),
                s.csrf())));
  }

  void rows(Context ctx) {
    Sessions.Session s = UiRoutes.session(ctx);
    Map<String, String> q = QueryParams.read(ctx, ROWS_QUERY);
    String source = source(q);
    if (source == null) {
      throw UiException.badInput("parameter 'source': give the source whose rows to list");
    }
    String field = q.get("field");
    if (field != null && !FIELD.matcher(field).matches()) {
      throw UiException.badInput(
          "parameter 'field': '"
              + field
              + "' is not a field name (a letter, then letters, digits or _; at most 40)");
    }
    String reason = q.get("reason");
    if (reason != null && CONTROL.matcher(reason).find()) {
      throw UiException.badInput("parameter 'reason': has a control character");
    }
    String cursor = q.get("cursor");
    if (cursor != null && !ID.matcher(cursor).matches()) {
      throw UiException.badInput(
          "parameter 'cursor': '" + cursor + "' is not a dead letter's id (letters and digits)");
    }
    if (!reads.present()) {
      throw UiException.notFound(
          "no royalty tables in this database: run paritysync royalty ingest on it first");
    }
    RoyaltyReads.Rows page = reads.rows(source, field, reason, cursor, ROWS);
    Instant now = clock.instant();
    List<Row> rows =
        page.rows().stream()
            .map(
                i -> {
                  Map<String, Object> e = i.evidence();
                  return new Row(
                      i.id(),
                      String.valueOf(e.get("report")),
                      String.valueOf(e.get("row")),
                      String.valueOf(e.get("field")),
                      RoyaltyReads.reasonOf(i),
                      String.valueOf(e.getOrDefault("excerpt", "")),
                      Overview.ago(i.createdAt(), now));
                })
            .toList();
    String next =
        page.after() == null
            ? null
            : UiRoutes.PREFIX
                + "/royalty/dead-letters?source="
                + enc(source)
                + (field == null ? "" : "&field=" + enc(field))
                + (reason == null ? "" : "&reason=" + enc(reason))
                + "&cursor="
                + enc(page.after());
    ui.page(
        ctx,
        200,
        "royaltyrows.jte",
        UiRoutes.params(
            "rows",
            new RowsPage(
                source,
                field == null ? "" : field,
                reason == null ? "" : reason,
                rows,
                next,
                UiRoutes.PREFIX + "/royalty?source=" + enc(source) + "#dead-letters",
                s.csrf())));
  }

  private static Line line(RoyaltyReads.Listed l, Instant now) {
    IngestedDelivery d = l.delivery();
    long read = d.rowsRead();
    String rejection =
        read == 0
            ? "–"
            : String.format(Locale.ROOT, "%.2f%%", 100.0 * d.deadLettered() / (double) read);
    String why;
    if (d.replacedBy() != null) {
      IngestedDelivery by = l.replacedBy();
      why =
          "by "
              + (by == null
                  ? d.replacedBy()
                  : by.report() + " (" + by.route() + ", " + by.at() + ")")
              + (d.complete() ? "" : "; was incomplete: " + d.incomplete());
    } else {
      why = d.complete() ? "" : Objects.requireNonNullElse(d.incomplete(), "");
    }
    String state = d.state();
    String css =
        switch (state) {
          case "complete" -> "ok";
          case "incomplete" -> "warn";
          default -> "muted";
        };
    String symbol =
        switch (state) {
          case "complete" -> "●";
          case "incomplete" -> "▲";
          default -> "○";
        };
    return new Line(
        d.at().toString(),
        Overview.ago(d.at(), now),
        d.source(),
        d.reportId(),
        d.report(),
        d.route(),
        d.valid(),
        d.deadLettered(),
        rejection,
        state,
        css,
        symbol,
        why);
  }

  /** The source filter, or null for every source. */
  private static @Nullable String source(Map<String, String> q) {
    String source = q.get("source");
    if (source == null) {
      return null;
    }
    if (source.length() > MAX_SOURCE) {
      throw UiException.badInput("parameter 'source': at most " + MAX_SOURCE + " characters");
    }
    if (CONTROL.matcher(source).find()) {
      throw UiException.badInput("parameter 'source': has a control character");
    }
    return source;
  }

  private static int page(@Nullable String page) {
    if (page == null) {
      return 1;
    }
    if (!PAGE.matcher(page).matches() || Integer.parseInt(page) > MAX_PAGE) {
      throw UiException.badInput(
          "parameter 'page': '" + page + "' is not a page number from 1 to " + MAX_PAGE);
    }
    return Integer.parseInt(page);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
