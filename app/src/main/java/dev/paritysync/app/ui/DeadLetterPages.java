package dev.paritysync.app.ui;

import dev.paritysync.app.admin.AdminException;
import dev.paritysync.app.admin.ItemFilter;
import dev.paritysync.app.admin.Page;
import dev.paritysync.app.admin.QueueAdmin;
import dev.paritysync.app.admin.Views;
import dev.paritysync.core.time.Clock;
import dev.paritysync.store.QueueItem;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dead-letter queue's page: open dead letters (filtered by channel in the URL, so a view can be
 * shared), each with its reason, and a replay and a discard-with-reason form. Both actions are the
 * admin API's ({@link QueueAdmin}): the discard is ledgered with its reason and {@link #ACTOR}.
 * After an action the browser is sent back to the list with a line saying what was done.
 */
final class DeadLetterPages {
  /** Who the ledger says discarded an item from the UI. */
  static final String ACTOR = "web-ui";

  /** The longest discard reason. */
  static final int MAX_REASON = 500;

  private static final Set<String> QUERY =
      Set.of("channel", "cursor", "replayed", "cells", "discarded");
  private static final int MAX_QUERY_VALUE = 200;

  /**
   * The page's content.
   *
   * @param items the open dead letters on this page, oldest first
   * @param channel the channel filtered on, or empty for all
   * @param next the URL of the next page, or null when this is the last
   * @param notice what the last action did, or null
   * @param csrf the session's CSRF token
   */
  record Listing(List<Item> items, String channel, String next, String notice, String csrf) {}

  /**
   * One dead letter.
   *
   * @param id the queue item's id
   * @param channel the channel
   * @param subject what it holds, in words
   * @param reason why it is here
   * @param cells how many cells its batch holds
   * @param attempts how many attempts were made
   * @param since when it entered, and how long ago
   */
  record Item(
      String id,
      String channel,
      String subject,
      String reason,
      int cells,
      int attempts,
      String since) {}

  private final UiRoutes ui;
  private final QueueAdmin queues;
  private final Clock clock;

  DeadLetterPages(UiRoutes ui, QueueAdmin queues, Clock clock) {
    this.ui = ui;
    this.queues = queues;
    this.clock = clock;
  }

  void list(Context ctx) {
    Sessions.Session s = UiRoutes.session(ctx);
    Map<String, String> q = query(ctx, QUERY);
    String channel = q.getOrDefault("channel", "");
    Page<QueueItem> page =
        admin(
            () ->
                queues.list(
                    new ItemFilter(
                        channel.isEmpty() ? null : channel,
                        QueueItem.Queue.DEAD_LETTER,
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
    String next =
        page.nextCursor() == null
            ? null
            : UiRoutes.PREFIX
                + "/dead-letters?"
                + (channel.isEmpty() ? "" : "channel=" + encode(channel) + "&")
                + "cursor="
                + encode(page.nextCursor());
    ui.page(
        ctx,
        200,
        "deadletters.jte",
        UiRoutes.params("listing", new Listing(items, channel, next, notice(q), s.csrf())));
  }

  void replay(Context ctx, UiRoutes.Checked form) {
    QueueAdmin.Replayed r = admin(() -> queues.replay(ctx.pathParam("id")));
    back(ctx, "replayed=" + encode(r.item().id()) + "&cells=" + r.cells());
  }

  void discard(Context ctx, UiRoutes.Checked form) {
    String reason = form.form().get("reason");
    if (reason == null || reason.isBlank()) {
      throw UiException.badInput("reason: give why the item is discarded, in words for the ledger");
    }
    if (reason.length() > MAX_REASON) {
      throw UiException.badInput("reason: at most " + MAX_REASON + " characters");
    }
    QueueItem item =
        admin(() -> queues.discard(List.of(ctx.pathParam("id")), reason, ACTOR)).get(0);
    back(ctx, "discarded=" + encode(item.id()));
  }

  private static void back(Context ctx, String query) {
    ctx.redirect(UiRoutes.PREFIX + "/dead-letters?" + query, HttpStatus.SEE_OTHER);
  }

  private static String notice(Map<String, String> q) {
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

  /**
   * The query, each parameter one of {@code known}, given once and short; an empty value is absent.
   */
  static Map<String, String> query(Context ctx, Set<String> known) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
      String name = e.getKey();
      if (!known.contains(name)) {
        throw UiException.badInput(
            "parameter '"
                + (name.length() > 40 ? name.substring(0, 40) + "…" : name)
                + "' is not one of this page's: "
                + (known.isEmpty() ? "none" : String.join(", ", known.stream().sorted().toList())));
      }
      if (e.getValue().size() != 1) {
        throw UiException.badInput("parameter '" + name + "' is given more than once");
      }
      String v = e.getValue().get(0);
      if (v.length() > MAX_QUERY_VALUE) {
        throw UiException.badInput(
            "parameter '" + name + "' is longer than " + MAX_QUERY_VALUE + " characters");
      }
      if (!v.isEmpty()) {
        out.put(name, v);
      }
    }
    return out;
  }

  /** Runs an admin operation, its refusals as pages: 400, 404 or 409 with its message. */
  private static <T> T admin(java.util.function.Supplier<T> op) {
    try {
      return op.get();
    } catch (AdminException e) {
      throw switch (e.kind()) {
        case BAD_INPUT -> UiException.badInput(e.getMessage());
        case NOT_FOUND -> UiException.notFound(e.getMessage());
        case CONFLICT -> new UiException(409, "Conflict", e.getMessage());
      };
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
