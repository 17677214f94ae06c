package dev.paritysync.sim;

import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.time.Clock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Decides every answer of a simulated channel, independent of the HTTP server that carries it.
 *
 * <p>An ARI request passes these checks in this order; the first that fails answers:
 *
 * <ol>
 *   <li><b>auth</b> (when OAuth is configured): 401 for a missing, unknown or expired token;
 *   <li><b>quota</b> per (property, kind): 429 with Retry-After per style;
 *   <li><b>outage</b> (a configured window or {@code setOutage(true)}): 503 with Retry-After;
 *   <li><b>fault dice</b>, drawn once: 500/502/503/504/429 or a connection reset; a slow draw lets
 *       the request go on and holds its response back;
 *   <li><b>body size</b>: 413;
 *   <li><b>idempotency</b>: same key and body replays the stored response (nothing applied again);
 *       same key and a different body answers 422 {@code idempotency_key_reused};
 *   <li><b>decoding</b> 400, <b>validation</b> 422 (too many updates, required fields, ranges, rate
 *       floor), <b>conflict cells</b> 409;
 *   <li><b>apply</b>: 200, stored under the key.
 * </ol>
 *
 * A replay is subject to quota, outage and faults like any request a real server receives, and
 * draws the dice like any other request, so the fault sequence depends only on the sequence of
 * requests. Nothing is applied unless every check passed, so a fault never applies; a slow response
 * does apply, then answers late: the case idempotency keys exist for. Only successful writes are
 * remembered under their key. Thread-safe.
 */
final class SimEngine {
  /** The property under which the reservation feed's quota and waits are counted. */
  static final String RESERVATIONS = "reservations";

  private final SimConfig config;
  private final Clock clock;
  private final AriCodec dialect;
  // Its own seeded dice, drawn under the store's lock once per update applied: adding silent
  // drops changes no other fault's sequence.
  private final java.util.Random dropDice;
  private final @Nullable Tokens tokens;
  private final SimGate gate;
  private final long startNanos;
  private final AriStore store = new AriStore();
  private final AriRules rules;
  private final ReservationFeed reservations = new ReservationFeed();

  private final LongAdder requests = new LongAdder();
  private final ConcurrentHashMap<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
  private final LongAdder throttled = new LongAdder();
  private final LongAdder tokensIssued = new LongAdder();
  private final java.util.Queue<Long> tokensIssuedAt =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final LongAdder resets = new LongAdder();
  private final LongAdder tokenRequests = new LongAdder();

  SimEngine(SimConfig config, Clock clock, AriCodec dialect) {
    this.config = config;
    this.clock = clock;
    this.dialect = dialect;
    this.dropDice = new java.util.Random(config.seed() ^ 0x5D5D_D0_0FL);
    this.tokens = config.oauth() == null ? null : new Tokens(config.oauth(), clock, config.seed());
    this.rules = new AriRules(config, dialect);
    this.gate = new SimGate(config, clock, tokens);
    this.startNanos = clock.nanoTime();
  }

  /** The configuration the channel runs with. */
  SimConfig config() {
    return config;
  }

  // ---------------------------------------------------------------- ARI

  /**
   * {@code POST /v1/properties/{property}/ari}.
   *
   * @param body the body, or null when it exceeded {@code maxBodyBytes}
   */
  SimResponse postAri(
      String property,
      @Nullable String authorization,
      @Nullable String key,
      byte @Nullable [] body) {
    return postAri(dialect, "ari", property, authorization, key, body);
  }

  /**
   * {@link #postAri(String, String, String, byte[])} in dialect {@code d} (which reads the body and
   * writes every answer: a dialect with several message types, OpenTravel, answers each with its
   * own RS), counted against the quota of {@code kind}. State and keys are the channel's.
   */
  SimResponse postAri(
      AriCodec d,
      String kind,
      String property,
      @Nullable String authorization,
      @Nullable String key,
      byte @Nullable [] body) {
    Instant now = clock.instant();
    requests.increment();
    SimGate.Gate gate = this.gate.admit(d, kind, property, authorization, now);
    if (gate.stop() != null) {
      return count(gate.stop());
    }
    Map<String, String> headers = gate.headers();
    if (body == null) {
      return count(
          gate.deliver(
              problem(
                  d,
                  headers,
                  413,
                  "too-large",
                  "Request body larger than " + config.maxBodyBytes() + " bytes",
                  List.of())));
    }
    boolean honor = config.honorIdempotencyKeys();
    byte[] fingerprint = AriStore.fingerprint(property, body);
    if (honor) {
      AriStore.Lookup early = store.lookup(key, fingerprint);
      if (!(early instanceof AriStore.Fresh)) {
        return count(gate.deliver(keyed(d, headers, early)));
      }
    }
    List<AriUpdate> updates;
    try {
      updates = d.decode(body);
    } catch (AriCodec.MalformedBody e) {
      return count(
          gate.deliver(problem(d, headers, 400, "malformed", "Malformed body", e.errors())));
    }
    List<FieldError> errors = rules.validate(updates);
    if (!errors.isEmpty()) {
      return count(gate.deliver(problem(d, headers, 422, "invalid", "Invalid updates", errors)));
    }
    List<FieldError> conflicts = rules.conflicts(property, updates);
    if (!conflicts.isEmpty()) {
      return count(
          gate.deliver(problem(d, headers, 409, "conflict", "Cells in conflict", conflicts)));
    }
    AriStore.Lookup result =
        store.apply(
            property,
            key,
            fingerprint,
            d.stored(updates),
            honor,
            n -> new AriStore.Stored(fingerprint, 200, d.applied(n, key)),
            () -> config.pDropUpdate() > 0 && dropDice.nextDouble() < config.pDropUpdate());
    return count(gate.deliver(keyed(d, headers, result)));
  }

  /**
   * A request whose shared secret is missing or wrong: 401 with the dialect's error {@code
   * shared_secret_mismatch}, answered before quota, outage and faults, as a failed OAuth check is.
   */
  SimResponse sharedSecretMismatch() {
    requests.increment();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Date", HttpDates.format(clock.instant()));
    return count(
        SimResponse.now(
            headers, 401, dialect.contentType(), dialect.error("shared_secret_mismatch")));
  }

  /** A read whose body could not be decoded: 400 naming the bad fields. */
  SimResponse malformedRead(List<FieldError> errors) {
    requests.increment();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Date", HttpDates.format(clock.instant()));
    return count(problem(dialect, headers, 400, "malformed", "Malformed body", errors));
  }

  /** {@code GET /v1/properties/{property}/ari?from=&to=}. */
  SimResponse getAri(
      String property, @Nullable String authorization, @Nullable String from, @Nullable String to) {
    return getAri(dialect, property, authorization, from, to);
  }

  /** {@link #getAri(String, String, String, String)} answered in {@code formatter}'s format. */
  SimResponse getAri(
      AriCodec formatter,
      String property,
      @Nullable String authorization,
      @Nullable String from,
      @Nullable String to) {
    Instant now = clock.instant();
    requests.increment();
    SimGate.Gate gate = this.gate.admit(dialect, "read", property, authorization, now);
    if (gate.stop() != null) {
      return count(gate.stop());
    }
    Map<String, String> headers = gate.headers();
    List<FieldError> errors = new ArrayList<>();
    LocalDate f = queryDate("from", from, errors);
    LocalDate t = queryDate("to", to, errors);
    if (f != null && t != null && f.isAfter(t)) {
      errors.add(new FieldError("?to", "must not be before from"));
    } else if (f != null && t != null && ChronoUnit.DAYS.between(f, t) >= AriRules.MAX_RANGE_DAYS) {
      errors.add(new FieldError("?to", "range longer than " + AriRules.MAX_RANGE_DAYS + " days"));
    }
    if (!errors.isEmpty() || f == null || t == null) {
      return count(
          gate.deliver(
              SimResponse.now(
                  headers,
                  400,
                  dialect.problemContentType(),
                  dialect.problem(400, "malformed", "Bad query", errors))));
    }
    return count(
        gate.deliver(
            SimResponse.now(
                headers,
                200,
                formatter.contentType(),
                formatter.cells(property, f, t, store.read(property, f, t)))));
  }

  // ---------------------------------------------------------------- reservations

  /**
   * {@code GET /v1/reservations?since=cursor}: the feed's page after the cursor (0 when absent),
   * with its {@code ETag}; 304 without a body when {@code If-None-Match} names it. Passes auth, the
   * {@code read} quota (property {@value #RESERVATIONS}), outage and the fault dice as an ARI read
   * does.
   */
  SimResponse getReservations(
      @Nullable String authorization, @Nullable String since, @Nullable String ifNoneMatch) {
    Instant now = clock.instant();
    requests.increment();
    SimGate.Gate gate = this.gate.admit(dialect, "read", RESERVATIONS, authorization, now);
    if (gate.stop() != null) {
      return count(gate.stop());
    }
    Map<String, String> headers = new LinkedHashMap<>(gate.headers());
    long cursor = 0;
    if (since != null && !since.isBlank()) {
      try {
        cursor = Long.parseLong(since.trim());
      } catch (NumberFormatException e) {
        cursor = -1;
      }
      if (cursor < 0) {
        return count(
            gate.deliver(
                problem(
                    dialect,
                    headers,
                    400,
                    "malformed",
                    "Bad query",
                    List.of(
                        new FieldError(
                            "?since", "'" + since + "' is not a cursor (a number >= 0)")))));
      }
    }
    ReservationFeed.Page page = reservations.page(cursor);
    headers.put("ETag", page.etag());
    if (ifNoneMatch != null && ReservationFeed.matches(ifNoneMatch, page.etag())) {
      return count(
          gate.deliver(
              new SimResponse(304, Map.copyOf(headers), null, null, SimResponse.Delivery.NOW)));
    }
    return count(gate.deliver(SimResponse.now(headers, 200, "application/json", page.body())));
  }

  /**
   * {@code POST /v1/reservations/ack} with {@code {"received":[{"id","revision"}]}}: 200 {@code
   * {"acknowledged": n}}, 400 for a body that is not such a list, 413 for one too large. Counts
   * against the {@code read} quota and draws the dice like the feed.
   */
  SimResponse acknowledgeReservations(@Nullable String authorization, byte @Nullable [] body) {
    Instant now = clock.instant();
    requests.increment();
    SimGate.Gate gate = this.gate.admit(dialect, "read", RESERVATIONS, authorization, now);
    if (gate.stop() != null) {
      return count(gate.stop());
    }
    Map<String, String> headers = gate.headers();
    if (body == null) {
      return count(
          gate.deliver(
              problem(
                  dialect,
                  headers,
                  413,
                  "too-large",
                  "Request body larger than " + config.maxBodyBytes() + " bytes",
                  List.of())));
    }
    int n;
    try {
      n = reservations.acknowledge(body);
    } catch (java.io.IOException e) {
      return count(
          gate.deliver(
              problem(
                  dialect,
                  headers,
                  400,
                  "malformed",
                  "Malformed body",
                  List.of(new FieldError("", String.valueOf(e.getMessage()))))));
    }
    var answer = SimJson.JSON.createObjectNode().put("acknowledged", n);
    return count(
        gate.deliver(SimResponse.now(headers, 200, "application/json", SimJson.write(answer))));
  }

  ReservationFeed reservations() {
    return reservations;
  }

  private static @Nullable LocalDate queryDate(
      String name, @Nullable String value, List<FieldError> errors) {
    if (value == null || value.isBlank()) {
      errors.add(new FieldError("?" + name, "required, yyyy-MM-dd"));
      return null;
    }
    try {
      return LocalDate.parse(value.trim());
    } catch (DateTimeParseException e) {
      errors.add(new FieldError("?" + name, "'" + value + "' is not a date (yyyy-MM-dd)"));
      return null;
    }
  }

  private SimResponse keyed(AriCodec dialect, Map<String, String> headers, AriStore.Lookup lookup) {
    if (lookup instanceof AriStore.Replay replay) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put("Idempotent-Replayed", "true");
      return SimResponse.now(
          h, replay.stored().status(), dialect.contentType(), replay.stored().body());
    }
    if (lookup instanceof AriStore.Applied applied) {
      return SimResponse.now(
          headers, applied.stored().status(), dialect.contentType(), applied.stored().body());
    }
    return SimResponse.now(
        headers, 422, dialect.contentType(), dialect.error("idempotency_key_reused"));
  }

  // ---------------------------------------------------------------- OAuth

  /**
   * {@code POST /oauth/token}, client-credentials grant; not subject to quota, outage or faults.
   */
  SimResponse token(@Nullable String authorization, Map<String, List<String>> form) {
    tokenRequests.increment();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Date", HttpDates.format(clock.instant()));
    headers.put("Cache-Control", "no-store");
    if (tokens == null) {
      return SimResponse.now(
          headers, 404, "application/json", dialect.error("oauth_not_configured"));
    }
    if (!"client_credentials".equals(first(form, "grant_type"))) {
      return SimResponse.now(
          headers, 400, "application/json", dialect.error("unsupported_grant_type"));
    }
    String id = first(form, "client_id");
    String secret = first(form, "client_secret");
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String decoded =
            new String(
                Base64.getDecoder().decode(authorization.substring(6).trim()),
                StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon >= 0) {
          id = java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
          secret = java.net.URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
        }
      } catch (IllegalArgumentException e) {
        id = null;
      }
    }
    if (!tokens.credentialsMatch(id, secret)) {
      headers.put("WWW-Authenticate", "Basic realm=\"sim\"");
      return SimResponse.now(headers, 401, "application/json", dialect.error("invalid_client"));
    }
    tokensIssued.increment();
    if (tokensIssued.sum() <= SimStats.MAX_KEPT) {
      tokensIssuedAt.add(clock.nanoTime() - startNanos);
    }
    var body =
        SimJson.JSON
            .createObjectNode()
            .put("access_token", tokens.issue())
            .put("token_type", "Bearer")
            .put("expires_in", tokens.ttlSeconds());
    return SimResponse.now(headers, 200, "application/json", SimJson.write(body));
  }

  private static @Nullable String first(Map<String, List<String>> form, String name) {
    List<String> v = form.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  // ---------------------------------------------------------------- state and stats

  void setOutage(boolean down) {
    gate.setOutage(down);
  }

  void overwrite(String property, CellKey key, @Nullable CellValue value) {
    store.overwrite(property, key, value);
  }

  java.util.SortedSet<CellKey> dropped(String property) {
    return store.dropped(property);
  }

  Map<CellKey, CellValue> state(String property) {
    return store.all(property);
  }

  int applications(String key) {
    return store.applications(key);
  }

  long doubleApplications() {
    return store.doubleApplications();
  }

  SimStats stats() {
    Map<Integer, Long> statuses = new LinkedHashMap<>();
    byStatus.forEach((k, v) -> statuses.put(k, v.sum()));
    return new SimStats(
        requests.sum(),
        statuses,
        throttled.sum(),
        resets.sum(),
        gate.slow(),
        tokenRequests.sum(),
        store.cellsApplied(),
        store.unkeyedApplications(),
        store.applicationsByKey(),
        store.doubleApplications(),
        gate.duringAnnouncedWait(),
        gate.quotaRefusals(),
        gate.quotaPeaks(),
        tokensIssued.sum(),
        List.copyOf(tokensIssuedAt),
        gate.lateInWait());
  }

  byte[] statsJson() {
    return SimJson.write(SimJson.JSON.valueToTree(stats()));
  }

  private SimResponse count(SimResponse r) {
    if (r.delivery() == SimResponse.Delivery.RESET) {
      resets.increment();
    } else {
      byStatus.computeIfAbsent(r.status(), s -> new LongAdder()).increment();
      if (r.status() == 429) {
        throttled.increment();
      }
    }
    return r;
  }

  private static SimResponse problem(
      AriCodec dialect,
      Map<String, String> headers,
      int status,
      String type,
      String title,
      List<FieldError> errors) {
    return SimResponse.now(
        headers,
        dialect.problemStatus(status),
        dialect.problemContentType(),
        dialect.problem(status, type, title, errors));
  }
}
