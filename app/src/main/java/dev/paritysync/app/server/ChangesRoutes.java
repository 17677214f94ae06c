package dev.paritysync.app.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paritysync.app.feed.ChangeJson;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.http.BodyDigest;
import dev.paritysync.core.time.Clock;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.engine.Accepted;
import dev.paritysync.hotel.engine.ChangesRejected;
import dev.paritysync.hotel.engine.Ingest;
import dev.paritysync.store.Database;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The PMS ingest API: {@code POST /v1/changes} with {@code {"changes": [change, ...]}} (each change
 * as in {@link ChangeJson}).
 *
 * <ul>
 *   <li>{@code 202} with the version, the change ids and correlation ids, only after the changes
 *       are committed;
 *   <li>{@code 400} for a body that is not JSON, has unknown keys or values of the wrong type,
 *       every field error listed with its path ({@code changes[2].rate.amount});
 *   <li>{@code 422} for changes that parse but are invalid (unknown property, dates out of order,
 *       …), every error listed with its path;
 *   <li>{@code 413} for a body over the configured limit; {@code 415} unless the content type is
 *       {@code application/json}.
 * </ul>
 *
 * <p>{@code Idempotency-Key} (optional; a structured-field string, quotes optional, 1–255 printable
 * characters): the first {@code 202} is recorded with the changes in one transaction; the same key
 * with the same body answers that response again (header {@code Idempotent-Replayed: true}) without
 * ingesting twice; the same key while its first request is in progress answers {@code 409}; the
 * same key with a different body {@code 422}. Keys are kept for the configured window. Errors are
 * not recorded: a rejected request may be corrected and sent with its key again.
 */
public final class ChangesRoutes implements Routes {
  /** The path of the ingest endpoint. */
  public static final String PATH = "/v1/changes";

  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database db;
  private final Ingest ingest;
  private final long maxBodyBytes;
  private final IdempotencyKeys keys;
  private final TextMapPropagator propagator;
  private final BearerToken token;
  private final ChangesBody body;

  /**
   * Routes ingesting into {@code ingest} (whose database is {@code db}), taking bodies up to {@code
   * maxBodyBytes} and remembering idempotency keys for {@code window}.
   */
  public ChangesRoutes(
      Database db, Ingest ingest, Clock clock, long maxBodyBytes, Duration window) {
    this(db, ingest, clock, maxBodyBytes, window, TextMapPropagator.noop(), null);
  }

  /**
   * As above; {@code propagator} reads the caller's trace context ({@code traceparent}) from the
   * request, so the ingest span continues the PMS's trace; with an {@code apiToken} (null: open)
   * every request needs {@code Authorization: Bearer <token>}.
   */
  public ChangesRoutes(
      Database db,
      Ingest ingest,
      Clock clock,
      long maxBodyBytes,
      Duration window,
      TextMapPropagator propagator,
      Secret apiToken) {
    this(db, ingest, clock, maxBodyBytes, window, propagator, apiToken, ApiLimits.DEFAULTS);
  }

  /** As above, reading bodies within {@code limits} (see {@link ApiLimits}). */
  public ChangesRoutes(
      Database db,
      Ingest ingest,
      Clock clock,
      long maxBodyBytes,
      Duration window,
      TextMapPropagator propagator,
      Secret apiToken,
      ApiLimits limits) {
    this.body = new ChangesBody(Objects.requireNonNull(limits, "limits"));
    this.propagator = Objects.requireNonNull(propagator, "propagator");
    this.token =
        apiToken == null
            ? null
            : new BearerToken(apiToken, "paritysync", "the PMS API", "server.apiToken");
    this.db = Objects.requireNonNull(db, "db");
    this.ingest = Objects.requireNonNull(ingest, "ingest");
    this.maxBodyBytes = maxBodyBytes;
    this.keys = new IdempotencyKeys(db, clock, window);
  }

  /**
   * Deletes the {@code Idempotency-Key} records of {@code db} older than {@code window} and returns
   * how many: {@code serve}'s prune job runs it on the one worker holding the {@code prune} lease.
   */
  public static int pruneIdempotencyKeys(Database db, Clock clock, Duration window) {
    return IdempotencyKeys.prune(db, clock, window);
  }

  /** Whether a request with {@code key} is in progress in this process; for tests. */
  boolean inProgress(String key) {
    return keys.inProgress(key);
  }

  @Override
  public void addTo(RoutesConfig app) {
    app.post(PATH, this::post);
  }

  private void post(Context ctx) {
    io.opentelemetry.context.Context caller =
        propagator.extract(io.opentelemetry.context.Context.current(), ctx, HEADERS);
    try (Scope ignored = caller.makeCurrent()) {
      handle(ctx);
    }
  }

  private static final TextMapGetter<Context> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Context ctx) {
          return ctx.headerMap().keySet();
        }

        @Override
        public String get(Context ctx, String key) {
          return ctx == null ? null : ctx.header(key);
        }
      };

  private void handle(Context ctx) {
    if (token != null) {
      token.check(ctx);
    }
    requireJson(ctx);
    String key = idempotencyKey(RequestReading.singleHeader(ctx, IDEMPOTENCY_KEY));
    byte[] bytes = RequestReading.body(ctx, maxBodyBytes);
    String fingerprint = BodyDigest.sha256(bytes);
    if (key == null) {
      answer(ctx, accept(parse(bytes), null, fingerprint), false);
      return;
    }
    if (!keys.begin(key)) {
      throw busy(key);
    }
    try {
      Optional<IdempotencyKeys.Stored> stored = keys.find(key);
      if (stored.isPresent()) {
        answer(ctx, replay(stored.get(), key, fingerprint), true);
        return;
      }
      List<Change> changes = parse(bytes);
      IdempotencyKeys.Stored result;
      try {
        result = accept(changes, key, fingerprint);
      } catch (KeyTaken e) {
        // Another process recorded this key between our look-up and our commit, which rolled
        // back: answer what that request got.
        result = replay(keys.find(key).orElseThrow(() -> busy(key)), key, fingerprint);
        answer(ctx, result, true);
        return;
      }
      answer(ctx, result, false);
    } finally {
      keys.end(key);
    }
  }

  private IdempotencyKeys.Stored accept(List<Change> changes, String key, String fingerprint) {
    try {
      // Checked before the transaction, so no write waits while a request is being checked.
      ingest.check(changes);
      return db.inTransaction(
          c -> {
            Accepted a = ingest.accept(c, changes, Set.of());
            String response = response(a);
            if (key != null && !keys.record(c, key, fingerprint, 202, response)) {
              throw new KeyTaken();
            }
            return new IdempotencyKeys.Stored(fingerprint, 202, response);
          });
    } catch (ChangesRejected e) {
      throw new ProblemException(
          422,
          "Invalid changes",
          e.errors().size() + " error(s) in the changes; nothing was accepted",
          e.errors());
    }
  }

  /** The changes of {@code bytes}, within the limits; 400 or 422 naming the culprit otherwise. */
  private List<Change> parse(byte[] bytes) {
    List<Change> changes = body.parse(bytes);
    body.checkBounds(changes);
    return changes;
  }

  private static IdempotencyKeys.Stored replay(
      IdempotencyKeys.Stored stored, String key, String fingerprint) {
    if (!stored.fingerprint().equals(fingerprint)) {
      throw new ProblemException(
          422,
          "Idempotency key reused",
          "Idempotency-Key '"
              + key
              + "' was used with a different request body; use a new key for a new request");
    }
    return stored;
  }

  private static ProblemException busy(String key) {
    return new ProblemException(
        409,
        "Request in progress",
        "a request with Idempotency-Key '" + key + "' is still in progress; retry later");
  }

  private static void answer(Context ctx, IdempotencyKeys.Stored r, boolean replayed) {
    if (replayed) {
      ctx.header("Idempotent-Replayed", "true");
    }
    ctx.status(r.status()).contentType("application/json").result(r.body());
  }

  private static void requireJson(Context ctx) {
    String type = RequestReading.singleHeader(ctx, "Content-Type");
    String media = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!media.equals("application/json")) {
      throw new ProblemException(
          415,
          "Unsupported media type",
          "send the changes as application/json"
              + (type == null ? " (no Content-Type was given)" : ", not " + type));
    }
  }

  /** The key of the header value, or null when there is none; 400 for a malformed one. */
  static String idempotencyKey(String header) {
    if (header == null) {
      return null;
    }
    String key = header.trim();
    if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
      key = key.substring(1, key.length() - 1);
    }
    boolean printable = key.chars().allMatch(ch -> ch >= 0x20 && ch <= 0x7e && ch != '"');
    if (key.isEmpty() || key.length() > 255 || !printable) {
      throw new ProblemException(
          400,
          "Invalid Idempotency-Key",
          "Idempotency-Key must be 1 to 255 printable ASCII characters (a quoted string)");
    }
    return key;
  }

  private static String response(Accepted a) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("version", a.version());
    doc.put("cells", a.cells());
    ArrayNode changes = doc.putArray("changes");
    for (int i = 0; i < a.changeIds().size(); i++) {
      changes
          .addObject()
          .put("id", a.changeIds().get(i))
          .put("correlationId", a.correlationIds().get(i));
    }
    if (!a.unmapped().isEmpty()) {
      ObjectNode unmapped = doc.putObject("unmapped");
      a.unmapped()
          .forEach(
              (channel, report) -> {
                ObjectNode r = unmapped.putObject(channel);
                report.rooms().forEach((room, n) -> r.withObjectProperty("rooms").put(room, n));
                report
                    .ratePlans()
                    .forEach((plan, n) -> r.withObjectProperty("ratePlans").put(plan, n));
              });
    }
    return doc.toString();
  }

  /** Rolls back an ingest whose idempotency key another process recorded first. */
  private static final class KeyTaken extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KeyTaken() {
      super(null, null, false, false);
    }
  }

  @Override
  public String toString() {
    return "ChangesRoutes[" + PATH + ", max " + maxBodyBytes + " bytes]";
  }
}
