package dev.paritysync.app.server;

import dev.paritysync.app.feed.ChangeJson;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.http.BodyDigest;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.hotel.ari.Change;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

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
 * <p>Group commit ({@link GroupCommit}): a request is read and checked on its own thread, so its
 * errors are its own and a rejected request stores nothing; then it joins the next commit, which
 * writes every waiting request's changes (and keys) in one transaction, in the order they came, so
 * the newest request still wins per cell. Each request is answered after that commit; when it
 * fails, every request of the group, and only those, is answered {@code 503} with {@code
 * Retry-After} and nothing of them is stored. A full queue is answered {@code 503} with {@code
 * Retry-After} at once.
 *
 * <p>{@code Idempotency-Key} (optional; a structured-field string, quotes optional, 1–255 printable
 * characters): the first {@code 202} is recorded with the changes in one transaction; the same key
 * with the same body answers that response again (header {@code Idempotent-Replayed: true}) without
 * ingesting twice; the same key while the commit holding its first request runs answers {@code
 * 409}; the same key with a different body {@code 422}. Two requests with one key in one group are
 * answered as if sent one after the other. Keys are kept for the configured window. Errors are not
 * recorded: a rejected request may be corrected and sent with its key again.
 */
public final class ChangesRoutes implements Routes {
  /** The path of the ingest endpoint. */
  public static final String PATH = "/v1/changes";

  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final Ingest ingest;
  private final long maxBodyBytes;
  private final IdempotencyKeys keys;
  private final TextMapPropagator propagator;
  private final @Nullable BearerToken token;
  private final ChangesBody body;
  private final ChangesCommit commit;
  private final GroupCommitter<ChangesCommit.Request, ChangesCommit.Answer> committer;

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
      @Nullable Secret apiToken) {
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
      @Nullable Secret apiToken,
      ApiLimits limits) {
    this(
        db,
        ingest,
        clock,
        maxBodyBytes,
        window,
        propagator,
        apiToken,
        limits,
        GroupCommit.DEFAULTS);
  }

  /**
   * As above, committing concurrent requests together within {@code groupCommit}, on a thread of
   * these routes' own (started on demand, ended when idle; its waits on the machine's clock).
   */
  public ChangesRoutes(
      Database db,
      Ingest ingest,
      Clock clock,
      long maxBodyBytes,
      Duration window,
      TextMapPropagator propagator,
      @Nullable Secret apiToken,
      ApiLimits limits,
      GroupCommit groupCommit) {
    this(
        db,
        ingest,
        clock,
        maxBodyBytes,
        window,
        propagator,
        apiToken,
        limits,
        groupCommit,
        Scheduler.idling("paritysync-ingest-commit", Duration.ofMinutes(1)));
  }

  /**
   * As above, committing on {@code committer}: a scheduler with one thread of its own, or virtual
   * time in tests.
   */
  public ChangesRoutes(
      Database db,
      Ingest ingest,
      Clock clock,
      long maxBodyBytes,
      Duration window,
      TextMapPropagator propagator,
      @Nullable Secret apiToken,
      ApiLimits limits,
      GroupCommit groupCommit,
      Scheduler committer) {
    this.body = new ChangesBody(Objects.requireNonNull(limits, "limits"));
    this.propagator = Objects.requireNonNull(propagator, "propagator");
    this.token =
        apiToken == null
            ? null
            : new BearerToken(apiToken, "paritysync", "the PMS API", "server.apiToken");
    this.ingest = Objects.requireNonNull(ingest, "ingest");
    this.maxBodyBytes = maxBodyBytes;
    this.keys = new IdempotencyKeys(db, clock, window);
    this.commit = new ChangesCommit(db, ingest, keys);
    this.committer =
        new GroupCommitter<>(
            groupCommit,
            committer,
            commit,
            () ->
                new ProblemException(
                    503,
                    "Shutting down",
                    "the server is shutting down; send the request again later"));
  }

  /**
   * Deletes the {@code Idempotency-Key} records of {@code db} older than {@code window} and returns
   * how many: {@code serve}'s prune job runs it on the one worker holding the {@code prune} lease.
   */
  public static int pruneIdempotencyKeys(Database db, Clock clock, Duration window) {
    return IdempotencyKeys.prune(db, clock, window);
  }

  /** Whether a request with {@code key} is in a commit running in this process; for tests. */
  boolean inProgress(String key) {
    return commit.committing(key);
  }

  /** How many requests wait for a commit; for tests. */
  int queued() {
    return committer.queued();
  }

  /**
   * Refuses requests from now on and answers those waiting for a commit 503; a commit running
   * finishes. {@code serve} calls it once the server has drained.
   */
  public void close() {
    committer.close();
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
        public @Nullable String get(@Nullable Context ctx, String key) {
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
    // From here the request is on its way to a commit: a commit starting now may wait for it.
    try (GroupCommitter<ChangesCommit.Request, ChangesCommit.Answer>.Arrival arrival =
        committer.arrive()) {
      if (key != null) {
        if (commit.committing(key)) {
          throw busy(key);
        }
        Optional<IdempotencyKeys.Stored> stored = keys.find(key);
        if (stored.isPresent()) {
          answer(ctx, replay(stored.get(), key, fingerprint), true);
          return;
        }
      }
      List<Change> changes = parse(bytes);
      check(changes);
      ChangesCommit.Answer a =
          await(
              ctx,
              arrival,
              new ChangesCommit.Request(
                  changes, key, fingerprint, io.opentelemetry.context.Context.current()),
              changes.stream().mapToLong(ChangesBody::cells).sum());
      ProblemException problem = a.problem();
      if (problem != null) {
        throw problem;
      }
      answer(ctx, Objects.requireNonNull(a.stored(), "an answer without a problem"), a.replayed());
    }
  }

  /** Checks {@code changes} before they join a group, so a rejected request stores nothing. */
  private void check(List<Change> changes) {
    try {
      ingest.check(changes);
    } catch (ChangesRejected e) {
      throw rejected(e);
    }
  }

  private static ProblemException rejected(ChangesRejected e) {
    return new ProblemException(
        422,
        "Invalid changes",
        e.errors().size() + " error(s) in the changes; nothing was accepted",
        e.errors());
  }

  /** Submits {@code request} to the next group commit and waits for that commit's answer. */
  private ChangesCommit.Answer await(
      Context ctx,
      GroupCommitter<ChangesCommit.Request, ChangesCommit.Answer>.Arrival arrival,
      ChangesCommit.Request request,
      long cells) {
    CompletableFuture<ChangesCommit.Answer> result;
    try {
      result = arrival.submit(request, (int) Math.min(Integer.MAX_VALUE, cells));
    } catch (GroupCommitter.Full e) {
      ctx.header("Retry-After", Long.toString(SlowPeers.BUSY_RETRY_AFTER.toSeconds()));
      throw new ProblemException(503, "Too busy", e.getMessage() + "; send it again shortly");
    }
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProblemException(
          503, "Shutting down", "the server is shutting down; send the request again later");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ChangesRejected rejected) {
        throw rejected(rejected);
      }
      if (cause instanceof RuntimeException r) {
        throw r; // StoreException: 503 with Retry-After (ApiServer); nothing of the group stored
      }
      throw new IllegalStateException("the group commit failed", cause);
    }
  }

  /** The changes of {@code bytes}, within the limits; 400 or 422 naming the culprit otherwise. */
  private List<Change> parse(byte[] bytes) {
    List<Change> changes = body.parse(bytes);
    body.checkBounds(changes);
    return changes;
  }

  static IdempotencyKeys.Stored replay(
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

  static ProblemException busy(String key) {
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
  static @Nullable String idempotencyKey(@Nullable String header) {
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

  @Override
  public String toString() {
    return "ChangesRoutes[" + PATH + ", max " + maxBodyBytes + " bytes]";
  }
}
