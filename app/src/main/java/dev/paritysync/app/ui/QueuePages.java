package dev.paritysync.app.ui;

import dev.paritysync.app.admin.ItemFilter;
import dev.paritysync.app.admin.Page;
import dev.paritysync.app.admin.QueueAdmin;
import dev.paritysync.app.admin.Views;
import dev.paritysync.core.time.Clock;
import dev.paritysync.royalty.DeadLetterReplay;
import dev.paritysync.store.QueueItem;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The two queues' pages: dead letters and reconciliation items, each listed with a filter in the
 * URL ({@link QueueFilter}, so a view can be shared); an item's evidence on its own page; replay,
 * discard with a reason, and bulk replay of every open item the filter selects, after a page that
 * shows how many and asks to confirm. Every action is the admin API's ({@link QueueAdmin}: the same
 * operations {@code /admin/v1/items} offers for both kinds of item) and is ledgered with {@link
 * #ACTOR}. After an action the browser is sent back to where it was, with a line saying what was
 * done.
 */
final class QueuePages {
  /** Who the ledger says replayed or discarded an item from the UI. */
  static final String ACTOR = "web-ui";

  /** The longest discard reason. */
  static final int MAX_REASON = 500;

  /** The most items one bulk replay takes; a filter selecting more must be narrowed. */
  static final int MAX_BULK = ItemFilter.MAX_LIMIT;

  private static final int MAX_ID = 100;
  private static final Set<String> NOTICES = Set.of("replayed", "cells", "discarded", "bulk");
  private static final Set<String> LIST_QUERY = union(QueueFilter.PARAMETERS, NOTICES, "cursor");
  private static final Set<String> ITEM_QUERY = union(List.of("back"), NOTICES);
  private static final Set<String> BULK_QUERY = Set.copyOf(QueueFilter.PARAMETERS);

  /** The two queues, each a page. */
  enum Kind {
    DEAD_LETTERS("dead-letters", "Dead letters", "dead letter", QueueItem.Queue.DEAD_LETTER),
    RECONCILIATION(
        "reconciliation-items",
        "Reconciliation items",
        "reconciliation item",
        QueueItem.Queue.RECONCILIATION);

    private final String slug;
    private final String title;
    private final String noun;
    private final QueueItem.Queue queue;

    Kind(String slug, String title, String noun, QueueItem.Queue queue) {
      this.slug = slug;
      this.title = title;
      this.noun = noun;
      this.queue = queue;
    }

    /** The page's path, such as {@code /ui/dead-letters}. */
    String path() {
      return UiRoutes.PREFIX + "/" + slug;
    }

    /** The page's heading, such as {@code Dead letters}. */
    String title() {
      return title;
    }

    /** One item, in words: {@code dead letter}. */
    String noun() {
      return noun;
    }

    static Kind of(QueueItem.Queue queue) {
      return queue == QueueItem.Queue.DEAD_LETTER ? DEAD_LETTERS : RECONCILIATION;
    }
  }

  /**
   * A list page's content.
   *
   * @param kind which queue
   * @param items the items on this page, oldest first
   * @param filter the filter, as the URL gave it
   * @param described the filter in words, empty for none
   * @param back the filter as a query string, carried by every action's form
   * @param next the URL of the next page, or null when this is the last
   * @param bulk the URL of bulk replay's confirmation page, or null when it does not apply
   * @param notice what the last action did, or null
   * @param csrf the session's CSRF token
   */
  record Listing(
      Kind kind,
      List<Row> items,
      QueueFilter filter,
      String described,
      String back,
      @Nullable String next,
      @Nullable String bulk,
      @Nullable String notice,
      String csrf) {}

  /**
   * One item in a list.
   *
   * @param id the queue item's id
   * @param href its evidence page, keeping the list's filter to go back to
   * @param channel the channel
   * @param property the property of its batch, or ""
   * @param subject what it holds, in words
   * @param reason why it is here
   * @param cells how many cells its batch holds
   * @param attempts how many attempts were made
   * @param since how long ago it entered
   * @param state its state in words with a symbol
   * @param open whether it is open (it can be discarded)
   * @param replayable whether the UI can replay it
   */
  record Row(
      String id,
      String href,
      String channel,
      String property,
      String subject,
      String reason,
      int cells,
      int attempts,
      String since,
      String state,
      boolean open,
      boolean replayable) {}

  /**
   * An item's evidence page.
   *
   * @param item the item
   * @param back the list's filter as a query string, carried by the forms
   * @param list the list to go back to
   * @param notice what the last action did, or null
   * @param csrf the session's CSRF token
   */
  record Evidence(ItemView item, String back, String list, @Nullable String notice, String csrf) {}

  /**
   * Bulk replay's confirmation page.
   *
   * @param kind which queue
   * @param described the filter in words, empty for none
   * @param back the filter as a query string
   * @param cancel the list to go back to
   * @param count how many open items would be replayed
   * @param cells how many cells they hold
   * @param skipped royalty report rows the filter selects, which replay here leaves alone
   * @param tooMany whether more than {@link #MAX_BULK} match (then nothing can be confirmed)
   * @param csrf the session's CSRF token
   */
  record Confirm(
      Kind kind,
      String described,
      String back,
      String cancel,
      int count,
      int cells,
      int skipped,
      boolean tooMany,
      String csrf) {}

  private final UiRoutes ui;
  private final QueueAdmin queues;
  private final Clock clock;

  QueuePages(UiRoutes ui, QueueAdmin queues, Clock clock) {
    this.ui = ui;
    this.queues = queues;
    this.clock = clock;
  }

  /**
   * The pages' routes on {@code app}, every POST's form checked by {@link UiRoutes#checkedForm}.
   */
  void addTo(RoutesConfig app) {
    for (Kind kind : Kind.values()) {
      app.get(kind.path(), ctx -> list(ctx, kind));
      app.get(kind.path() + "/replay-all", ctx -> confirm(ctx, kind));
      app.post(
          kind.path() + "/replay-all",
          ctx -> replayAll(ctx, kind, ui.checkedForm(ctx, Set.of("csrf", "back", "expect"))));
    }
    String item = UiRoutes.PREFIX + "/items/{id}";
    app.get(item, this::item);
    app.post(
        item + "/replay", ctx -> replay(ctx, ui.checkedForm(ctx, Set.of("csrf", "back", "view"))));
    app.post(
        item + "/discard",
        ctx -> discard(ctx, ui.checkedForm(ctx, Set.of("csrf", "back", "view", "reason"))));
  }

  void list(Context ctx, Kind kind) {
    Sessions.Session s = UiRoutes.session(ctx);
    Map<String, String> q = QueryParams.read(ctx, LIST_QUERY);
    QueueFilter filter = QueueFilter.of(q);
    Instant now = clock.instant();
    Page<QueueItem> page =
        UiException.admin(
            () ->
                queues.list(
                    filter.items(kind.queue, ItemFilter.DEFAULT_LIMIT, q.get("cursor"), now)));
    String back = filter.query();
    String itemQuery = back.isEmpty() ? "" : "?back=" + QueryParams.encode(back);
    List<Row> rows =
        page.items().stream()
            .map(
                i ->
                    new Row(
                        i.id(),
                        UiRoutes.PREFIX + "/items/" + QueryParams.encode(i.id()) + itemQuery,
                        i.channel(),
                        property(i),
                        i.subject(),
                        i.reason(),
                        Views.cellCount(i),
                        i.attempts().size(),
                        Overview.ago(i.createdAt(), now),
                        ItemView.stateWords(i.state()),
                        i.state() == QueueItem.State.OPEN,
                        i.state() == QueueItem.State.OPEN && !DeadLetterReplay.isReportRow(i)))
            .toList();
    String next =
        page.nextCursor() == null
            ? null
            : filter.url(kind.path(), "cursor=" + QueryParams.encode(page.nextCursor()));
    String bulk =
        filter.openOnly() && !rows.isEmpty() ? filter.url(kind.path() + "/replay-all", null) : null;
    ui.page(
        ctx,
        200,
        "queues.jte",
        UiRoutes.params(
            "listing",
            new Listing(
                kind, rows, filter, filter.describe(), back, next, bulk, notice(q), s.csrf())));
  }

  void item(Context ctx) {
    Sessions.Session s = UiRoutes.session(ctx);
    Map<String, String> q = QueryParams.read(ctx, ITEM_QUERY);
    String back = q.getOrDefault("back", "");
    QueueFilter filter = QueueFilter.carried("back", back);
    ItemView item = ItemView.of(UiException.admin(() -> queues.show(id(ctx))), clock.instant());
    ui.page(
        ctx,
        200,
        "item.jte",
        UiRoutes.params(
            "evidence",
            new Evidence(
                item, filter.query(), filter.url(item.kind().path(), null), notice(q), s.csrf())));
  }

  void replay(Context ctx, UiRoutes.Checked form) {
    QueueFilter filter = QueueFilter.carried("back", form.form().get("back"));
    QueueAdmin.Replayed r = UiException.admin(() -> queues.replay(id(ctx), ACTOR));
    back(
        ctx,
        form,
        filter,
        r.item(),
        "replayed=" + QueryParams.encode(r.item().id()) + "&cells=" + r.cells());
  }

  void discard(Context ctx, UiRoutes.Checked form) {
    QueueFilter filter = QueueFilter.carried("back", form.form().get("back"));
    String reason = form.form().get("reason");
    if (reason == null || reason.isBlank()) {
      throw UiException.badInput("reason: give why the item is discarded, in words for the ledger");
    }
    if (reason.length() > MAX_REASON) {
      throw UiException.badInput("reason: at most " + MAX_REASON + " characters");
    }
    QueueItem item =
        UiException.admin(() -> queues.discard(List.of(id(ctx)), reason, ACTOR)).get(0);
    back(ctx, form, filter, item, "discarded=" + QueryParams.encode(item.id()));
  }

  void confirm(Context ctx, Kind kind) {
    Sessions.Session s = UiRoutes.session(ctx);
    QueueFilter filter = bulkFilter(QueueFilter.of(QueryParams.read(ctx, BULK_QUERY)));
    Selection sel = select(kind, filter);
    ui.page(
        ctx,
        200,
        "replayall.jte",
        UiRoutes.params(
            "confirm",
            new Confirm(
                kind,
                filter.describe(),
                filter.query(),
                filter.url(kind.path(), null),
                sel.count,
                sel.cells,
                sel.skipped,
                sel.tooMany,
                s.csrf())));
  }

  void replayAll(Context ctx, Kind kind, UiRoutes.Checked form) {
    QueueFilter filter = bulkFilter(QueueFilter.carried("back", form.form().get("back")));
    String expect = form.form().get("expect");
    if (expect == null || !expect.matches("[0-9]{1,4}")) {
      throw UiException.badInput(
          "expect: the count confirmed, a whole number 0 to " + MAX_BULK + "; was " + expect);
    }
    Selection sel = select(kind, filter);
    if (sel.tooMany) {
      throw UiException.badInput(tooMany(kind));
    }
    if (sel.count != Integer.parseInt(expect)) {
      throw new UiException(
          409,
          "Conflict",
          "the filter now selects "
              + sel.count
              + " open "
              + kind.noun
              + "(s), not the "
              + expect
              + " confirmed: nothing was replayed; look at the count again and confirm it");
    }
    List<QueueAdmin.Replayed> done =
        UiException.admin(
            () ->
                queues.replayAll(filter.items(kind.queue, MAX_BULK, null, clock.instant()), ACTOR));
    int cells = done.stream().mapToInt(QueueAdmin.Replayed::cells).sum();
    ctx.redirect(
        filter.url(kind.path(), "bulk=" + done.size() + "&cells=" + cells), HttpStatus.SEE_OTHER);
  }

  private static QueueFilter bulkFilter(QueueFilter f) {
    if (!f.openOnly()) {
      throw UiException.badInput(
          "status: bulk replay takes open items only; leave status out (or give open)");
    }
    return f;
  }

  private record Selection(int count, int cells, int skipped, boolean tooMany) {}

  /** The open items bulk replay would take: at most {@link #MAX_BULK}, or too many. */
  private Selection select(Kind kind, QueueFilter filter) {
    Page<QueueItem> page =
        UiException.admin(
            () -> queues.list(filter.items(kind.queue, MAX_BULK, null, clock.instant())));
    int count = 0;
    int cells = 0;
    int skipped = 0;
    for (QueueItem i : page.items()) {
      if (DeadLetterReplay.isReportRow(i)) {
        skipped++;
      } else {
        count++;
        cells += Views.cellCount(i);
      }
    }
    return new Selection(count, cells, skipped, page.nextCursor() != null);
  }

  static String tooMany(Kind kind) {
    return "the filter selects more than "
        + MAX_BULK
        + " open "
        + kind.noun
        + "s: narrow it (channel, property, reason, since or age) to replay at most "
        + MAX_BULK
        + " at once";
  }

  /** After an action: back to the item's page or to its list, with the filter and a notice. */
  private static void back(
      Context ctx, UiRoutes.Checked form, QueueFilter filter, QueueItem item, String notice) {
    String view = form.form().get("view");
    String to;
    if ("item".equals(view)) {
      String back = filter.query();
      to =
          UiRoutes.PREFIX
              + "/items/"
              + QueryParams.encode(item.id())
              + "?"
              + (back.isEmpty() ? "" : "back=" + QueryParams.encode(back) + "&")
              + notice;
    } else if (view == null || "list".equals(view)) {
      to = filter.url(Kind.of(item.queue()).path(), notice);
    } else {
      throw UiException.badInput("view: '" + view + "' is not a view (list, item)");
    }
    ctx.redirect(to, HttpStatus.SEE_OTHER);
  }

  private static @Nullable String notice(Map<String, String> q) {
    if (q.containsKey("bulk")) {
      return "Replayed "
          + q.get("bulk")
          + " item(s): "
          + q.getOrDefault("cells", "0")
          + " cell(s) pending again. The ledger has each, by "
          + ACTOR
          + ".";
    }
    if (q.containsKey("replayed")) {
      return "Replayed "
          + q.get("replayed")
          + ": "
          + q.getOrDefault("cells", "0")
          + " cell(s) pending again.";
    }
    if (q.containsKey("discarded")) {
      return "Discarded " + q.get("discarded") + "; the ledger has the reason and who.";
    }
    return null;
  }

  private static String id(Context ctx) {
    String id = ctx.pathParam("id");
    if (id.length() > MAX_ID) {
      throw UiException.badInput("id: at most " + MAX_ID + " characters");
    }
    return id;
  }

  private static String property(QueueItem item) {
    return item.evidence().get("batch") instanceof Map<?, ?> b && b.get("property") != null
        ? String.valueOf(b.get("property"))
        : "";
  }

  private static Set<String> union(List<String> a, Set<String> b, String... more) {
    Set<String> out = new HashSet<>(a);
    out.addAll(b);
    out.addAll(List.of(more));
    return Set.copyOf(out);
  }
}
