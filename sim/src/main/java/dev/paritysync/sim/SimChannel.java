package dev.paritysync.sim;

import dev.paritysync.core.time.Clock;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * A simulated channel: a real HTTP server on 127.0.0.1 that holds ARI cells, enforces quotas,
 * honours idempotency keys and injects faults drawn from a seeded random, so a run is reproducible.
 *
 * <p>HTTP API (JSON):
 *
 * <ul>
 *   <li>{@code POST /oauth/token} — client-credentials grant (HTTP Basic or form fields); 200
 *       {@code {"access_token","token_type":"Bearer","expires_in"}}, 401 {@code invalid_client}.
 *   <li>{@code POST /v1/properties/{property}/ari} — {@code {"updates":[...]}}; 200 {@code
 *       {"applied": cells}}. Honours {@code Idempotency-Key}.
 *   <li>{@code GET /v1/properties/{property}/ari?from=yyyy-MM-dd&to=yyyy-MM-dd} — every cell held
 *       in the range.
 *   <li>{@code GET /v1/stats} — {@link #stats()} as JSON.
 *   <li>{@code GET /v1/reservations?since=cursor} — the reservation feed (in every dialect): {@code
 *       {"cursor": n, "reservations": [{"id","revision","property","room","arrival","departure",
 *       "status"}]}}, status {@code new}, {@code modified} or {@code cancelled}; every reservation
 *       changed after the cursor, plus every one whose newest revision is not acknowledged yet (so
 *       an unacknowledged reservation is served again). The answer carries an {@code ETag}; a
 *       request whose {@code If-None-Match} names the current one gets 304 without a body.
 *   <li>{@code POST /v1/reservations/ack} — {@code {"received":[{"id","revision"}]}}; 200 {@code
 *       {"acknowledged": n}}. Both reservation endpoints pass auth, the {@code read} quota
 *       (property {@code reservations}), outage and the fault dice as ARI requests do. Bookings
 *       come from {@link #book}, {@link #modify} and {@link #cancel}.
 * </ul>
 *
 * <p>{@link SimConfig#dialect()} picks a {@link Dialect} from {@link Dialects}: it adds its own
 * routes (the {@code native} dialect's is the {@code POST} above; others have their own paths) and
 * writes every answer and error in its own format; see {@code docs/sim.md}. Everything else, state
 * included, is the same in every dialect.
 *
 * <p>An ARI request passes these checks in this order; the first that fails answers, and nothing is
 * applied unless all pass:
 *
 * <ol>
 *   <li>auth, when OAuth is configured: 401 for a missing, unknown or expired Bearer token;
 *   <li>quota per (property, kind): 429 with {@code Retry-After} per {@link
 *       SimConfig#retryAfterStyle()}, {@code X-RateLimit-Remaining} and {@code X-RateLimit-Reset};
 *   <li>outage (a configured window or {@link #setOutage(boolean)}): 503 with {@code Retry-After};
 *   <li>the fault dice, drawn once per request that gets this far (replays and reads included):
 *       500, 502, 503, 504, 429, a connection reset, or slow — a slow request goes on and is
 *       applied, and its response is held back {@link SimConfig#slowDelay()} in real time;
 *   <li>body size: 413;
 *   <li>idempotency: the same {@code Idempotency-Key} with the same body (SHA-256 of property and
 *       body) replays the stored response with {@code Idempotent-Replayed: true}; with another
 *       body, 422 {@code idempotency_key_reused};
 *   <li>decoding 400, validation 422 (too many updates, required fields, ranges, rate floor),
 *       conflict cells 409 — problem bodies (RFC 9457) with JSON pointers;
 *   <li>apply: 200 {@code {"applied": cells}}, remembered under the key.
 * </ol>
 *
 * Only successful writes are remembered under their key, so a key whose first attempt failed can be
 * retried with the same body. Every response carries a {@code Date} from the injected clock;
 * quotas, outage windows and token expiry run on it too, while slow responses and the configured
 * {@link SimConfig#latency()} wait in real time (a request is handled, and applied, on arrival; its
 * response leaves after the latency).
 *
 * <p>Thread-safe. Close it to stop the server.
 */
public final class SimChannel implements AutoCloseable {
  private final SimEngine engine;
  private final Javalin app;
  private final ScheduledExecutorService delayer;
  private final SimConfig config;
  private final SimDelivery delivery;
  private final List<String> traceparents = new CopyOnWriteArrayList<>();

  private SimChannel(SimConfig config, Clock clock, Dialect dialect) {
    this.config = config;
    this.engine = new SimEngine(config, clock, dialect.codec());
    this.delayer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "paritysync-sim-slow");
              t.setDaemon(true);
              return t;
            });
    this.delivery = new SimDelivery(config, delayer);
    this.app =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.startup.showOldJavalinVersionWarning = false;
              cfg.startup.startupWatcherEnabled = false;
              cfg.jetty.host = "127.0.0.1";
              cfg.jetty.port = config.port();
              cfg.http.asyncTimeout = 0; // slow responses are timed by the delayer
              cfg.http.maxRequestSize = Math.max(config.maxBodyBytes(), 64 * 1024);
              cfg.jetty.modifyHttpConfiguration(
                  http -> {
                    http.setSendDateHeader(false); // Date comes from the injected clock
                    http.setSendServerVersion(false);
                  });
              route(cfg.routes, clock, dialect);
            });
  }

  /** Registers the dialect's routes (Javalin 7 takes them before the server starts). */
  private void route(RoutesConfig app, Clock clock, Dialect dialect) {
    app.before(
        ctx -> {
          String traceparent = ctx.header("traceparent");
          if (traceparent != null) {
            traceparents.add(traceparent);
          }
          ctx.header("Date", HttpDates.format(clock.instant()));
        });
    app.post("/oauth/token", this::token);
    for (Route route : dialect.routes()) {
      io.javalin.http.Handler handler =
          ctx -> delivery.deliver(ctx, route.handler().answer(new Request(ctx), engine));
      switch (route.method()) {
        case GET -> app.get(route.path(), handler);
        case POST -> app.post(route.path(), handler);
      }
    }
    app.get("/v1/properties/{property}/ari", this::getAri);
    app.get(
        "/v1/reservations",
        ctx ->
            delivery.deliver(
                ctx,
                engine.getReservations(
                    ctx.header("Authorization"),
                    ctx.queryParam("since"),
                    ctx.header("If-None-Match"))));
    app.post(
        "/v1/reservations/ack",
        ctx ->
            delivery.deliver(
                ctx, engine.acknowledgeReservations(ctx.header("Authorization"), readBody(ctx))));
    app.get(
        "/v1/stats",
        ctx -> ctx.status(200).contentType("application/json").result(engine.statsJson()));
  }

  /**
   * Starts a channel bound to {@code 127.0.0.1:config.port()} (0 for an ephemeral port).
   *
   * @param clock the clock for quotas, outage windows, token expiry and {@code Date} headers
   */
  public static SimChannel start(SimConfig config, Clock clock) {
    return start(config, clock, Dialects.BUILT_IN);
  }

  /**
   * {@link #start(SimConfig, Clock)} speaking {@code config}'s dialect from {@code dialects}.
   *
   * @throws IllegalArgumentException when {@code dialects} has no dialect of that name
   */
  static SimChannel start(SimConfig config, Clock clock, Dialects dialects) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    SimChannel channel = new SimChannel(config, clock, dialects.get(config.dialect()));
    try {
      channel.app.start();
    } catch (RuntimeException e) {
      channel.delayer.shutdownNow();
      throw e;
    }
    return channel;
  }

  /** {@code http://127.0.0.1:port}, without a trailing slash. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + port());
  }

  /** The loopback port the channel listens on. */
  public int port() {
    return app.port();
  }

  /** The configuration this channel runs with. */
  public SimConfig config() {
    return config;
  }

  /** Test hook: the {@code traceparent} header of every request received, in arrival order. */
  public List<String> traceparents() {
    return List.copyOf(traceparents);
  }

  /** A snapshot of the counters. */
  public SimStats stats() {
    return engine.stats();
  }

  /** An immutable snapshot of every cell {@code property} holds now, ordered by {@link CellKey}. */
  public Map<CellKey, CellValue> state(String property) {
    return engine.state(property);
  }

  /**
   * Test hook: makes the channel hold {@code value} for {@code key} behind the client's back, as an
   * edit in the channel's extranet would (no idempotency record, no counters). A later update
   * merges over it as usual.
   */
  public void overwrite(String property, CellKey key, CellValue value) {
    engine.overwrite(property, key, java.util.Objects.requireNonNull(value, "value"));
  }

  /**
   * The cells of {@code property} whose newest write the {@link SimConfig#pDropUpdate()} fault
   * silently dropped (answered 2xx, not applied), in key order; a later write applied to a cell, or
   * {@link #overwrite}/{@link #drop}, takes it off the list. Exactly the drift the fault caused.
   */
  public java.util.SortedSet<CellKey> droppedCells(String property) {
    return engine.dropped(property);
  }

  /** Test hook: forgets {@code key}, as a channel that silently lost an update would. */
  public void drop(String property, CellKey key) {
    engine.overwrite(property, key, null);
  }

  /**
   * How many times the body sent under {@code idempotencyKey} was applied: 1 for a correct client.
   */
  public int applications(String idempotencyKey) {
    return engine.applications(idempotencyKey);
  }

  /** How many idempotency keys were applied more than once: 0 for a correct client. */
  public long doubleApplications() {
    return engine.doubleApplications();
  }

  /**
   * Takes a booking (revision 1, status {@code new}) and returns its id ({@code RES-1}, {@code
   * RES-2}, …).
   *
   * @param departure the day of departure, after {@code arrival}: the nights booked are arrival to
   *     the day before departure
   * @throws IllegalArgumentException when departure is not after arrival
   */
  public String book(String property, String room, LocalDate arrival, LocalDate departure) {
    return engine.reservations().book(property, room, arrival, departure);
  }

  /**
   * Moves reservation {@code id} to another room or stay: a new revision, status {@code modified}.
   * Returns the revision.
   *
   * @throws IllegalArgumentException when the reservation is unknown or cancelled
   */
  public int modify(String id, String room, LocalDate arrival, LocalDate departure) {
    return engine.reservations().modify(id, room, arrival, departure);
  }

  /**
   * Cancels reservation {@code id}: a new revision, status {@code cancelled}. Returns the revision.
   *
   * @throws IllegalArgumentException when the reservation is unknown or already cancelled
   */
  public int cancel(String id) {
    return engine.reservations().cancel(id);
  }

  /** How many acknowledgement requests reached the feed (faulted ones not included). */
  public long ackRequests() {
    return engine.reservations().ackRequests();
  }

  /** How many (reservation, revision) pairs have been acknowledged, each counted once. */
  public long acknowledgements() {
    return engine.reservations().acknowledgements();
  }

  /** Whether revision {@code revision} of reservation {@code id} has been acknowledged. */
  public boolean isAcknowledged(String id, int revision) {
    return engine.reservations().isAcknowledged(id, revision);
  }

  /**
   * While on, acknowledgements are answered 200 and forgotten, as when a channel loses them: the
   * reservations are served again.
   */
  public void setDropAcks(boolean drop) {
    engine.reservations().setDropAcks(drop);
  }

  /** Switches an outage on or off, in addition to the configured windows. */
  public void setOutage(boolean down) {
    engine.setOutage(down);
  }

  /** Stops the server; slow responses still pending are dropped. */
  @Override
  public void close() {
    delayer.shutdownNow();
    app.stop();
  }

  // ---------------------------------------------------------------- wiring

  private void token(Context ctx) {
    SimDelivery.write(ctx, engine.token(ctx.header("Authorization"), ctx.formParamMap()));
  }

  private void getAri(Context ctx) {
    delivery.deliver(
        ctx,
        engine.getAri(
            ctx.pathParam("property"),
            ctx.header("Authorization"),
            ctx.queryParam("from"),
            ctx.queryParam("to")));
  }

  /** The body, or null when it exceeds {@code maxBodyBytes}; reads at most one byte past it. */
  private byte @Nullable [] readBody(Context ctx) {
    long max = config.maxBodyBytes();
    if (ctx.req().getContentLengthLong() > max) {
      return null;
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
      return body.length > max ? null : body;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A request as a dialect's route sees it; the body is read once, when first asked for. */
  private final class Request implements SimRequest {
    private final Context ctx;
    private boolean read;
    private byte @Nullable [] body;

    Request(Context ctx) {
      this.ctx = ctx;
    }

    @Override
    public @Nullable String header(String name) {
      return ctx.header(name);
    }

    @Override
    public @Nullable String queryParam(String name) {
      return ctx.queryParam(name);
    }

    @Override
    public String pathParam(String name) {
      return ctx.pathParam(name);
    }

    @Override
    public byte @Nullable [] body() {
      if (!read) {
        body = readBody(ctx);
        read = true;
      }
      return body;
    }
  }
}
