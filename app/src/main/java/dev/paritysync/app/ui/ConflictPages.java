package dev.paritysync.app.ui;

import dev.paritysync.app.admin.ItemFilter;
import dev.paritysync.app.admin.Page;
import dev.paritysync.app.admin.QueueAdmin;
import dev.paritysync.app.admin.ReconcileAdmin;
import dev.paritysync.app.admin.Views;
import dev.paritysync.core.time.Clock;
import dev.paritysync.hotel.reconcile.ConflictResolver;
import dev.paritysync.store.QueueItem;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The 409 conflicts (open reconciliation-queue items) under {@code /ui/reconciliation/conflicts}:
 * the open ones, oldest first; each read from its channel and shown beside truth, cell by cell,
 * with the two resolutions the admin API offers: re-push truth, or accept the channel's values into
 * truth. Both are {@link ReconcileAdmin#resolve}, ledgered ({@code reconcile.resolved}) with {@link
 * QueuePages#ACTOR}.
 */
final class ConflictPages {
  private static final String BASE = UiRoutes.PREFIX + "/reconciliation/conflicts";

  /** The form's actions, as the admin API names them. */
  private static final Map<String, ConflictResolver.Resolution> ACTIONS =
      Map.of(
          "repush", ConflictResolver.Resolution.REPUSH,
          "accept-channel", ConflictResolver.Resolution.ACCEPT_CHANNEL);

  /**
   * The list of open conflicts.
   *
   * @param items the open conflicts on this page, oldest first
   * @param next the URL of the next page, or null when this is the last
   * @param notice what the last action did, or null
   * @param csrf the session's CSRF token
   */
  record Listing(List<Item> items, @Nullable String next, @Nullable String notice, String csrf) {}

  /**
   * One open conflict in the list.
   *
   * @param id the reconciliation item's id
   * @param channel the channel that answered 409
   * @param subject the batch's subject
   * @param reason the channel's reason
   * @param cells the cells of its batch
   * @param attempts the attempts made
   * @param since how long ago it entered, in words
   */
  record Item(
      String id,
      String channel,
      String subject,
      String reason,
      int cells,
      int attempts,
      String since) {}

  /**
   * One conflict, both sides.
   *
   * @param view truth beside the channel's value, per cell
   * @param csrf the session's CSRF token
   */
  record Shown(ReconcileAdmin.ConflictView view, String csrf) {}

  private final UiRoutes ui;
  private final QueueAdmin queues;
  private final ReconcileAdmin reconcile;
  private final Clock clock;

  ConflictPages(UiRoutes ui, QueueAdmin queues, ReconcileAdmin reconcile, Clock clock) {
    this.ui = ui;
    this.queues = queues;
    this.reconcile = reconcile;
    this.clock = clock;
  }

  void addTo(RoutesConfig app) {
    app.get(BASE, this::list);
    app.get(BASE + "/{item}", this::show);
    app.post(
        BASE + "/{item}/resolve",
        ctx -> resolve(ctx, ui.checkedForm(ctx, Set.of("csrf", "action"))));
  }

  void list(Context ctx) {
    Sessions.Session s = UiRoutes.session(ctx);
    Map<String, String> q = QueryParams.read(ctx, Set.of("cursor", "resolved", "action", "cells"));
    Page<QueueItem> page =
        UiException.admin(
            () ->
                queues.list(
                    new ItemFilter(
                        null,
                        QueueItem.Queue.RECONCILIATION,
                        QueueItem.State.OPEN,
                        null,
                        null,
                        null,
                        ItemFilter.DEFAULT_LIMIT,
                        q.get("cursor"))));
    Instant now = clock.instant();
    List<Item> items =
        page.items().stream()
            .map(
                i ->
                    new Item(
                        i.id(),
                        i.channel(),
                        i.subject(),
                        i.reason(),
                        Views.cellCount(i),
                        i.attempts().size(),
                        Overview.ago(i.createdAt(), now)))
            .toList();
    String notice = null;
    if (q.containsKey("resolved")) {
      String action = q.get("action");
      if (action == null || !ACTIONS.containsKey(action)) {
        throw UiException.badInput("parameter 'action' is one of " + ACTIONS.keySet());
      }
      notice =
          "Resolved "
              + q.get("resolved")
              + ": "
              + (action.equals("repush") ? "truth re-pushed" : "the channel's values accepted")
              + " ("
              + q.getOrDefault("cells", "0")
              + " cell(s)); the ledger records "
              + QueuePages.ACTOR
              + ".";
    }
    ui.page(
        ctx,
        200,
        "conflicts.jte",
        UiRoutes.params(
            "listing",
            new Listing(
                items,
                page.nextCursor() == null
                    ? null
                    : BASE + "?cursor=" + QueryParams.encode(page.nextCursor()),
                notice,
                s.csrf())));
  }

  /** Reads the item's cells from its channel (the admin API's wait) and shows both sides. */
  void show(Context ctx) {
    Sessions.Session s = UiRoutes.session(ctx);
    QueryParams.read(ctx, Set.of());
    ReconcileAdmin.ConflictView view =
        UiException.admin(
            () ->
                ReconcileAdmin.view(readOrRefuse(() -> reconcile.conflict(ctx.pathParam("item")))));
    ui.page(ctx, 200, "conflict.jte", UiRoutes.params("conflict", new Shown(view, s.csrf())));
  }

  void resolve(Context ctx, UiRoutes.Checked form) {
    String action = form.form().get("action");
    ConflictResolver.Resolution how = action == null ? null : ACTIONS.get(action);
    if (how == null) {
      throw UiException.badInput("action: choose repush or accept-channel");
    }
    String item = ctx.pathParam("item");
    int cells =
        UiException.admin(() -> readOrRefuse(() -> reconcile.resolve(item, how, QueuePages.ACTOR)));
    ctx.redirect(
        BASE + "?resolved=" + QueryParams.encode(item) + "&action=" + action + "&cells=" + cells,
        HttpStatus.SEE_OTHER);
  }

  /**
   * Runs {@code op}; a channel that cannot be read (no snapshot API) is a 409 page saying so, not a
   * server error.
   */
  private static <T> T readOrRefuse(java.util.function.Supplier<T> op) {
    try {
      return op.get();
    } catch (dev.paritysync.app.admin.AdminException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new UiException(409, "Conflict", String.valueOf(e.getMessage()));
    }
  }
}
