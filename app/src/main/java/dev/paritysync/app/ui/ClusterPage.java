package dev.paritysync.app.ui;

import dev.paritysync.app.admin.ClusterAdmin;
import dev.paritysync.store.Database;
import dev.paritysync.store.Dialect;
import io.javalin.http.Context;

/**
 * The cluster page, {@code /ui/cluster}: what {@code GET /admin/v1/cluster} and {@code paritysync
 * cluster status} show, read through the same {@link ClusterAdmin} — the workers (alive or not,
 * heartbeat age, batches held), the singleton leases, the shared quota of every key in use with its
 * pause, and the shared circuits. On SQLite serve is one process, not a cluster: the page says so,
 * and what it shows is that process's own view (its quota keys are in its memory).
 */
final class ClusterPage {
  /**
   * The page's content.
   *
   * @param view the cluster's view
   * @param sqlite true when serve runs on SQLite: one process, not a cluster
   * @param alive the workers alive
   * @param csrf the session's CSRF token
   */
  record Shown(ClusterAdmin.ClusterView view, boolean sqlite, long alive, String csrf) {}

  private final UiRoutes ui;
  private final ClusterAdmin cluster;
  private final Database db;

  ClusterPage(UiRoutes ui, ClusterAdmin cluster, Database db) {
    this.ui = ui;
    this.cluster = cluster;
    this.db = db;
  }

  void show(Context ctx) {
    Sessions.Session s = UiRoutes.session(ctx);
    if (!ctx.queryParamMap().isEmpty()) {
      String name = ctx.queryParamMap().keySet().iterator().next();
      throw UiException.badInput(
          "parameter '"
              + (name.length() > 40 ? name.substring(0, 40) + "…" : name)
              + "': the cluster page takes no parameters");
    }
    ClusterAdmin.ClusterView view = cluster.view();
    long alive = view.workers().stream().filter(ClusterAdmin.WorkerView::alive).count();
    ui.page(
        ctx,
        200,
        "cluster.jte",
        UiRoutes.params(
            "cluster", new Shown(view, db.dialect() == Dialect.SQLITE, alive, s.csrf())));
  }

  /** A circuit state's css class. */
  static String css(String state) {
    return switch (state) {
      case "CLOSED" -> "ok";
      case "HALF_OPEN" -> "warn";
      default -> "bad";
    };
  }

  /** A circuit state's symbol, as on the overview. */
  static String symbol(String state) {
    return switch (state) {
      case "CLOSED" -> "●";
      case "HALF_OPEN" -> "◆";
      default -> "▲";
    };
  }

  /** A circuit state in words. */
  static String word(String state) {
    return switch (state) {
      case "CLOSED" -> "closed";
      case "HALF_OPEN" -> "half-open";
      default -> "open";
    };
  }
}
