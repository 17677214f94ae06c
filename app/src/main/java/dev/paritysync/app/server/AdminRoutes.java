package dev.paritysync.app.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.paritysync.app.admin.AdminException;
import dev.paritysync.app.admin.ChannelAdmin;
import dev.paritysync.app.admin.ClusterAdmin;
import dev.paritysync.app.admin.ItemFilter;
import dev.paritysync.app.admin.Page;
import dev.paritysync.app.admin.QueueAdmin;
import dev.paritysync.app.admin.ReconcileAdmin;
import dev.paritysync.app.admin.Views;
import dev.paritysync.app.config.EngineFileConfig;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.time.Clock;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.hotel.reconcile.ConflictResolver;
import dev.paritysync.hotel.reconcile.ReconciliationReport;
import dev.paritysync.hotel.reconcile.ReportWriters;
import dev.paritysync.store.QueueItem;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The admin API under {@code /admin/v1}: channels (circuit, quota, queue depths, last success,
 * parity), the cluster (workers, singleton leases, shared quota keys and circuits), dead letters
 * and reconciliation items (list, show, replay, discard), the ledger by correlation id,
 * reconciliation on demand and conflict resolution (see docs/admin-api.md).
 *
 * <p>Every request needs {@code Authorization: Bearer <token>} with the configured token, compared
 * in constant time; a missing or wrong token is answered {@code 401} with {@code WWW-Authenticate:
 * Bearer}. Bad input is {@code 400} naming the field, an unknown id {@code 404}, an action on an
 * item or report not in the right state {@code 409}; all as RFC 9457 problem documents. Actions are
 * ledgered with the actor given as {@code by} in the body (default {@code admin-api}). Thread-safe.
 */
public final class AdminRoutes implements Routes {
  /** The prefix of every admin path. */
  public static final String PREFIX = "/admin/v1";

  /** The actor recorded when a request names none. */
  public static final String DEFAULT_ACTOR = "admin-api";

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final long MAX_BODY = 64 * 1024;

  private final BearerToken token;
  private final Clock clock;
  private final QueueAdmin queues;
  private final ChannelAdmin channels;
  private final ReconcileAdmin reconcile;
  private final ClusterAdmin cluster;

  /**
   * The admin API of {@code engine} over its database {@code db}, guarded by {@code token} (null:
   * every request is refused, the API is off), reading time from {@code clock}; reconciliation
   * passes correct drift under {@code thresholds} and read the properties the request names (it
   * must name at least one: no portfolio is known).
   */
  public AdminRoutes(
      @Nullable Secret token,
      HotelEngine engine,
      dev.paritysync.store.Database db,
      Clock clock,
      EngineFileConfig.Reconciliation thresholds) {
    this(token, engine, db, clock, thresholds, List.of());
  }

  /**
   * As {@link #AdminRoutes(Secret, HotelEngine, dev.paritysync.store.Database, Clock,
   * EngineFileConfig.Reconciliation)}, with the portfolio's property codes: a pass with no property
   * reads them all, and other properties are refused.
   */
  public AdminRoutes(
      @Nullable Secret token,
      HotelEngine engine,
      dev.paritysync.store.Database db,
      Clock clock,
      EngineFileConfig.Reconciliation thresholds,
      List<String> properties) {
    this(
        token,
        engine,
        db,
        clock,
        thresholds,
        properties,
        ClusterAdmin.of(db, clock, EngineFileConfig.ClusterConfig.DEFAULTS.aliveWithin()));
  }

  /**
   * As {@link #AdminRoutes(Secret, HotelEngine, dev.paritysync.store.Database, Clock,
   * EngineFileConfig.Reconciliation, List)}, with the view {@code GET /admin/v1/cluster} serves
   * (without it: the cluster of {@code db} under the default heartbeat).
   */
  public AdminRoutes(
      @Nullable Secret token,
      HotelEngine engine,
      dev.paritysync.store.Database db,
      Clock clock,
      EngineFileConfig.Reconciliation thresholds,
      List<String> properties,
      ClusterAdmin cluster) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.token = new BearerToken(token, "paritysync-admin", "the admin API", "server.adminToken");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.queues = new QueueAdmin(db, clock);
    this.channels = new ChannelAdmin(engine, db);
    this.reconcile = new ReconcileAdmin(engine, db, clock, thresholds, properties);
  }

  @Override
  public void addTo(RoutesConfig app) {
    app.before(PREFIX + "/*", this::authenticate);
    app.before(PREFIX, this::authenticate);
    app.get(PREFIX + "/channels", guard(ctx -> ok(ctx, Map.of("channels", channels.all()))));
    app.get(
        PREFIX + "/channels/{name}",
        guard(ctx -> ok(ctx, channels.channel(ctx.pathParam("name")))));
    app.get(
        PREFIX + "/cluster",
        guard(
            ctx -> {
              query(ctx, Set.of());
              ok(ctx, cluster.view());
            }));
    app.get(PREFIX + "/items", guard(this::listItems));
    app.get(
        PREFIX + "/items/{id}",
        guard(ctx -> ok(ctx, Views.detail(queues.show(ctx.pathParam("id"))))));
    app.post(
        PREFIX + "/items/{id}/replay",
        guard(
            ctx -> {
              JsonNode body = body(ctx, Set.of("by"));
              ok(ctx, Views.replayed(queues.replay(ctx.pathParam("id"), actor(body))));
            }));
    app.post(PREFIX + "/items/{id}/discard", guard(this::discard));
    app.post(PREFIX + "/items:replay", guard(this::replayAll));
    app.get(PREFIX + "/ledger", guard(this::ledger));
    app.post(PREFIX + "/reconciliations", guard(this::runReconciliation));
    app.get(PREFIX + "/reconciliations/{id}", guard(this::report));
    app.post(
        PREFIX + "/reconciliations/{id}/approve",
        guard(
            ctx -> {
              JsonNode body = body(ctx, Set.of("by"));
              ok(ctx, ReconcileAdmin.summary(reconcile.approve(ctx.pathParam("id"), actor(body))));
            }));
    app.get(
        PREFIX + "/conflicts/{item}",
        guard(ctx -> ok(ctx, ReconcileAdmin.view(reconcile.conflict(ctx.pathParam("item"))))));
    app.post(PREFIX + "/conflicts/{item}/resolve", guard(this::resolve));
  }

  private void authenticate(Context ctx) {
    token.check(ctx);
  }

  private void listItems(Context ctx) {
    Map<String, String> q =
        query(
            ctx,
            Set.of(
                "channel",
                "kind",
                "status",
                "reason",
                "property",
                "since",
                "until",
                "limit",
                "cursor"));
    ItemFilter filter =
        new ItemFilter(
            q.get("channel"),
            q.containsKey("kind") ? ItemFilter.parseQueue("kind", q.get("kind")) : null,
            ItemFilter.parseState("status", q.getOrDefault("status", "open")),
            q.get("reason"),
            q.get("property"),
            q.containsKey("since") ? ItemFilter.parseInstant("since", q.get("since")) : null,
            q.containsKey("until") ? ItemFilter.parseInstant("until", q.get("until")) : null,
            q.containsKey("limit")
                ? ItemFilter.parseLimit("limit", q.get("limit"))
                : ItemFilter.DEFAULT_LIMIT,
            q.get("cursor"));
    Page<QueueItem> page = queues.list(filter);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("items", page.items().stream().map(Views::summary).toList());
    out.put("nextCursor", page.nextCursor());
    ok(ctx, out);
  }

  private void discard(Context ctx) {
    JsonNode body = body(ctx, Set.of("reason", "by"));
    String reason = text(body, "reason");
    if (reason == null || reason.isBlank()) {
      throw AdminException.badInput("reason", "reason: give why, in words for the ledger");
    }
    QueueItem item = queues.discard(List.of(ctx.pathParam("id")), reason, actor(body)).get(0);
    ok(ctx, Views.summary(item));
  }

  private void replayAll(Context ctx) {
    JsonNode body =
        body(ctx, Set.of("channel", "kind", "reason", "property", "since", "until", "by"));
    String kind = text(body, "kind");
    String since = text(body, "since");
    String until = text(body, "until");
    ItemFilter filter =
        new ItemFilter(
            text(body, "channel"),
            kind == null ? null : ItemFilter.parseQueue("kind", kind),
            QueueItem.State.OPEN,
            text(body, "reason"),
            text(body, "property"),
            since == null ? null : ItemFilter.parseInstant("since", since),
            until == null ? null : ItemFilter.parseInstant("until", until),
            ItemFilter.MAX_LIMIT,
            null);
    List<Views.ReplayView> replayed =
        queues.replayAll(filter, actor(body)).stream().map(Views::replayed).toList();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("replayed", replayed);
    out.put("cells", replayed.stream().mapToInt(Views.ReplayView::cells).sum());
    ok(ctx, out);
  }

  private void ledger(Context ctx) {
    Map<String, String> q = query(ctx, Set.of("correlationId"));
    String id = q.get("correlationId");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("correlationId", id);
    out.put("entries", queues.ledger(id).stream().map(Views::entry).toList());
    ok(ctx, out);
  }

  private void runReconciliation(Context ctx) {
    JsonNode body = body(ctx, Set.of("channel", "property", "from", "to"));
    String from = text(body, "from");
    String to = text(body, "to");
    LocalDate f =
        from == null
            ? LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)
            : ReconcileAdmin.parseDate("from", from);
    LocalDate t = to == null ? f.plusDays(30) : ReconcileAdmin.parseDate("to", to);
    ReconciliationReport r = reconcile.run(listOf(body, "channel"), listOf(body, "property"), f, t);
    ctx.status(201).header("Location", PREFIX + "/reconciliations/" + r.id());
    write(ctx, ReconcileAdmin.summary(r));
  }

  private void report(Context ctx) {
    Map<String, String> q = query(ctx, Set.of("format"));
    ReconciliationReport r = reconcile.report(ctx.pathParam("id"));
    switch (q.getOrDefault("format", "json")) {
      case "json" -> ctx.contentType("application/json").result(ReportWriters.json(r));
      case "csv" -> ctx.contentType("text/csv; charset=utf-8").result(ReportWriters.csv(r));
      case "html" -> ctx.contentType("text/html; charset=utf-8").result(ReportWriters.html(r));
      default ->
          throw AdminException.badInput(
              "format", "format: '" + q.get("format") + "' is not a format (json, csv, html)");
    }
  }

  private void resolve(Context ctx) {
    JsonNode body = body(ctx, Set.of("action", "by"));
    String action = text(body, "action");
    if (action == null) {
      throw AdminException.badInput("action", "action: give repush or accept-channel");
    }
    ConflictResolver.Resolution how =
        switch (action) {
          case "repush" -> ConflictResolver.Resolution.REPUSH;
          case "accept-channel" -> ConflictResolver.Resolution.ACCEPT_CHANNEL;
          default ->
              throw AdminException.badInput(
                  "action", "action: '" + action + "' is not an action (repush, accept-channel)");
        };
    String item = ctx.pathParam("item");
    int cells = reconcile.resolve(item, how, actor(body));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("item", item);
    out.put("action", action);
    out.put("cells", cells);
    ok(ctx, out);
  }

  /** Turns {@link AdminException} into 400 (naming the field), 404 or 409. */
  private static Handler guard(Handler h) {
    return ctx -> {
      try {
        h.handle(ctx);
      } catch (AdminException e) {
        throw switch (e.kind()) {
          case BAD_INPUT ->
              new ProblemException(
                  400,
                  "Bad request",
                  e.getMessage(),
                  List.of(new FieldError(badField(e), e.getMessage())));
          case NOT_FOUND -> new ProblemException(404, "Not found", e.getMessage());
          case CONFLICT -> new ProblemException(409, "Conflict", e.getMessage());
        };
      }
    };
  }

  private static String badField(AdminException e) {
    return Objects.requireNonNull(e.field(), "a bad-input AdminException names its field");
  }

  /** The query parameters, each given once; an unknown one is bad input naming it. */
  private static Map<String, String> query(Context ctx, Set<String> known) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
      if (!known.contains(e.getKey())) {
        throw AdminException.badInput(
            e.getKey(),
            e.getKey() + ": not a parameter here; parameters: " + String.join(", ", known));
      }
      if (e.getValue().size() != 1) {
        throw AdminException.badInput(e.getKey(), e.getKey() + ": give it once");
      }
      if (e.getValue().get(0).isEmpty()) {
        continue;
      }
      out.put(e.getKey(), e.getValue().get(0));
    }
    return out;
  }

  /** The JSON object body (an empty body is {@code {}}); unknown fields are bad input. */
  private static JsonNode body(Context ctx, Set<String> known) {
    byte[] raw = RequestReading.body(ctx, MAX_BODY);
    if (raw.length == 0) {
      return JSON.createObjectNode();
    }
    String type = ctx.contentType();
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new ProblemException(
          415, "Unsupported media type", "send the body as application/json, was " + type);
    }
    JsonNode node;
    try {
      node = JSON.readTree(raw);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw AdminException.badInput("body", "body: not JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (!node.isObject()) {
      throw AdminException.badInput("body", "body: must be a JSON object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        throw AdminException.badInput(
            name,
            name
                + ": not a field here"
                + (known.isEmpty() ? "; send no body" : "; fields: " + String.join(", ", known)));
      }
    }
    return node;
  }

  private static @Nullable String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw AdminException.badInput(field, field + ": must be a string");
    }
    return v.asText();
  }

  /** A string or an array of strings as a list; absent is empty. */
  private static List<String> listOf(JsonNode body, String field) {
    JsonNode v = body.get(field);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (v.isTextual()) {
      out.add(v.asText());
      return out;
    }
    if (v.isArray()) {
      for (JsonNode e : v) {
        if (!e.isTextual()) {
          throw AdminException.badInput(field, field + ": must be a string or strings");
        }
        out.add(e.asText());
      }
      return out;
    }
    throw AdminException.badInput(field, field + ": must be a string or strings");
  }

  private static String actor(JsonNode body) {
    String by = text(body, "by");
    return by == null || by.isBlank() ? DEFAULT_ACTOR : by.strip();
  }

  private static void ok(Context ctx, Object value) {
    ctx.status(200);
    write(ctx, value);
  }

  private static void write(Context ctx, Object value) {
    try {
      ctx.contentType("application/json").result(JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }
}
