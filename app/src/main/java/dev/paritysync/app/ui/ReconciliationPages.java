package dev.paritysync.app.ui;

import dev.paritysync.app.admin.Page;
import dev.paritysync.app.admin.ReconcileAdmin;
import dev.paritysync.core.time.Clock;
import dev.paritysync.hotel.reconcile.ReconciliationReport;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciliation pages under {@code /ui/reconciliation}: the stored reports, newest first, with
 * a form to run a pass now; each report with its drift table and heat map, and, while it is held
 * for review, an approve form. Running and approving are the admin API's operations ({@link
 * ReconcileAdmin}, the code {@code paritysync reconcile} runs too): approval is ledgered ({@code
 * reconcile.approved}) with {@link QueuePages#ACTOR}. The 409 conflicts are {@link ConflictPages}'.
 */
final class ReconciliationPages {
  /** Reports per page of the list. */
  static final int PAGE = 20;

  /** The most days a pass run from the UI covers (a year, leap or not). */
  static final int MAX_DAYS = 366;

  private static final String BASE = UiRoutes.PREFIX + "/reconciliation";
  private static final Set<String> RUN_FORM = Set.of("csrf", "channel", "property", "from", "to");
  private static final Logger log = LoggerFactory.getLogger(ReconciliationPages.class);

  /**
   * The list page.
   *
   * @param reports the reports on this page, newest first
   * @param next the URL of the next page, or null when this is the last
   * @param channels the channels a pass may name
   * @param properties the properties a pass may name
   * @param run the run form's values
   * @param error why the run form was refused, naming the field, or null
   * @param csrf the session's CSRF token
   */
  record Listing(
      List<Row> reports,
      @Nullable String next,
      List<String> channels,
      List<String> properties,
      RunForm run,
      @Nullable String error,
      String csrf) {}

  /**
   * The run form's values: by default every channel and property, today (UTC) to today + 30 days;
   * after a refusal, what was sent (a date only when it is short enough to be one).
   *
   * @param channel the channel chosen, or empty for every one
   * @param property the property chosen, or empty for every one
   * @param from the first date
   * @param to the last date, inclusive
   */
  record RunForm(String channel, String property, String from, String to) {
    static RunForm of(Form f) {
      return new RunForm(
          orEmpty(f.get("channel")), orEmpty(f.get("property")), date(f, "from"), date(f, "to"));
    }

    private static String date(Form f, String field) {
      String v = orEmpty(f.get(field));
      return v.length() <= 10 ? v : "";
    }

    private static String orEmpty(@Nullable String v) {
      return v == null ? "" : v;
    }
  }

  /**
   * One report of the list.
   *
   * @param id the report's id
   * @param status what it came to
   * @param created when the pass ran
   * @param ago how long ago
   * @param scope its channels and properties
   * @param from its first date
   * @param to its last date
   * @param counts its non-zero counts per drift class
   * @param held drifted cells held for review
   */
  record Row(
      String id,
      ReportView.Sign status,
      String created,
      String ago,
      String scope,
      String from,
      String to,
      List<ReportView.Count> counts,
      int held) {}

  /**
   * A report's page.
   *
   * @param id the report's id
   * @param status what it came to
   * @param created when the pass ran
   * @param ago how long ago
   * @param from its first date
   * @param to its last date
   * @param held drifted cells held for review (approve re-pushes them)
   * @param reviewable whether it waits for review
   * @param groups one per channel and property
   * @param heat the heat map
   * @param legend the heat map's legend
   * @param cells its differing cells, at most {@link ReportView#MAX_CELLS_SHOWN}
   * @param cellCount how many differing cells it has in all
   * @param notice what the last action did, or null
   * @param csrf the session's CSRF token
   */
  record Report(
      String id,
      ReportView.Sign status,
      String created,
      String ago,
      String from,
      String to,
      int held,
      boolean reviewable,
      List<ReportView.GroupRow> groups,
      List<ReportView.HeatRow> heat,
      List<ReportView.Sign> legend,
      List<ReportView.Drift> cells,
      int cellCount,
      @Nullable String notice,
      String csrf) {}

  private final UiRoutes ui;
  private final ReconcileAdmin reconcile;
  private final Clock clock;

  ReconciliationPages(UiRoutes ui, ReconcileAdmin reconcile, Clock clock) {
    this.ui = ui;
    this.reconcile = Objects.requireNonNull(reconcile, "reconcile");
    this.clock = clock;
  }

  /** Mounts the pages, the conflicts' first: {@code conflicts} is no report id. */
  void addTo(RoutesConfig app, ConflictPages conflicts) {
    app.get(BASE, this::list);
    app.post(BASE + "/run", ctx -> run(ctx, ui.checkedForm(ctx, RUN_FORM)));
    conflicts.addTo(app);
    app.get(BASE + "/{id}", this::report);
    app.post(BASE + "/{id}/approve", ctx -> approve(ctx, ui.checkedForm(ctx, Set.of("csrf"))));
  }

  void list(Context ctx) {
    Map<String, String> q = QueryParams.read(ctx, Set.of("cursor"));
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    render(
        ctx,
        200,
        q.get("cursor"),
        new RunForm("", "", today.toString(), today.plusDays(30).toString()),
        null);
  }

  /** The list page from {@code cursor}, with the run form holding {@code run}. */
  private void render(
      Context ctx, int status, @Nullable String cursor, RunForm run, @Nullable String error) {
    Sessions.Session s = UiRoutes.session(ctx);
    Page<ReconciliationReport> page = UiException.admin(() -> reconcile.reports(cursor, PAGE));
    Instant now = clock.instant();
    List<Row> rows =
        page.items().stream()
            .map(
                r ->
                    new Row(
                        r.id(),
                        ReportView.sign(r.status()),
                        ReportView.when(r.createdAt()),
                        Overview.ago(r.createdAt(), now),
                        ReportView.scope(r),
                        ReportView.date(r.from()),
                        ReportView.date(r.to()),
                        ReportView.counts(r.groups()),
                        ReportView.held(r)))
            .toList();
    ui.page(
        ctx,
        status,
        "reconciliation.jte",
        UiRoutes.params(
            "listing",
            new Listing(
                rows,
                page.nextCursor() == null
                    ? null
                    : BASE + "?cursor=" + QueryParams.encode(page.nextCursor()),
                reconcile.channels(),
                reconcile.properties(),
                run,
                error,
                s.csrf())));
  }

  void report(Context ctx) {
    Sessions.Session s = UiRoutes.session(ctx);
    Map<String, String> q = QueryParams.read(ctx, Set.of("ran", "approved"));
    q.forEach(
        (name, value) -> {
          if (!value.equals("1")) {
            throw UiException.badInput("parameter '" + name + "' takes only 1");
          }
        });
    ReconciliationReport r = UiException.admin(() -> reconcile.report(ctx.pathParam("id")));
    String notice = null;
    if (q.containsKey("ran")) {
      notice = "Ran the pass: " + ReportView.sign(r.status()).word() + ".";
    } else if (q.containsKey("approved")) {
      notice =
          "Approved: "
              + r.groups().stream().mapToInt(ReconciliationReport.Group::repushed).sum()
              + " cell(s) re-pushed; the ledger records "
              + QueuePages.ACTOR
              + " as who approved.";
    }
    ui.page(
        ctx,
        200,
        "reconreport.jte",
        UiRoutes.params(
            "report",
            new Report(
                r.id(),
                ReportView.sign(r.status()),
                ReportView.when(r.createdAt()),
                Overview.ago(r.createdAt(), clock.instant()),
                ReportView.date(r.from()),
                ReportView.date(r.to()),
                ReportView.held(r),
                r.status() == ReconciliationReport.Status.REVIEW,
                ReportView.groups(r),
                ReportView.heat(r),
                ReportView.legend(),
                ReportView.cells(r),
                ReportView.cellCount(r),
                notice,
                s.csrf())));
  }

  /**
   * Runs a pass with the form's channel and property (empty: every one) from {@code from} to {@code
   * to}, at most {@link #MAX_DAYS} days, then shows its report. Refused input is a 400: the list
   * again, the form keeping what was sent, with the refusal (which names the field) above it.
   */
  void run(Context ctx, UiRoutes.Checked form) {
    try {
      runChecked(ctx, form);
    } catch (UiException e) {
      if (e.status() != 400) {
        throw e;
      }
      render(ctx, 400, null, RunForm.of(form.form()), e.getMessage());
    }
  }

  private void runChecked(Context ctx, UiRoutes.Checked form) {
    String channel = form.form().get("channel");
    String property = form.form().get("property");
    LocalDate from = date(form.form(), "from");
    LocalDate to = date(form.form(), "to");
    if (to.isBefore(from)) {
      throw UiException.badInput("to: " + to + " is before from " + from);
    }
    long days = ChronoUnit.DAYS.between(from, to) + 1;
    if (days > MAX_DAYS) {
      throw UiException.badInput(
          "to: from " + from + " to " + to + " is " + days + " days; at most " + MAX_DAYS);
    }
    ReconciliationReport r =
        UiException.admin(
            () ->
                reconcile.run(
                    channel == null || channel.isEmpty() ? List.of() : List.of(channel),
                    property == null || property.isEmpty() ? List.of() : List.of(property),
                    from,
                    to));
    log.info(
        "{} ran reconciliation {} ({}..{}): {}", QueuePages.ACTOR, r.id(), from, to, r.status());
    ctx.redirect(BASE + "/" + r.id() + "?ran=1", HttpStatus.SEE_OTHER);
  }

  void approve(Context ctx, UiRoutes.Checked form) {
    ReconciliationReport r =
        UiException.admin(() -> reconcile.approve(ctx.pathParam("id"), QueuePages.ACTOR));
    ctx.redirect(BASE + "/" + r.id() + "?approved=1", HttpStatus.SEE_OTHER);
  }

  private static LocalDate date(Form form, String field) {
    String v = form.get(field);
    if (v == null || v.isBlank()) {
      throw UiException.badInput(field + ": give a date (yyyy-MM-dd)");
    }
    if (v.length() > 10) {
      throw UiException.badInput(
          field + ": " + v.length() + " characters is no date (yyyy-MM-dd, 10 characters)");
    }
    return UiException.admin(() -> ReconcileAdmin.parseDate(field, v));
  }
}
