package dev.paritysync.sim;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.paritysync.core.json.CanonicalRows;
import dev.paritysync.core.time.Clock;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A simulated digital service provider (DSP): a real HTTP server on 127.0.0.1 that lists sales
 * reports per period and serves their rows in cursor pages, generated from a seed, with a quota and
 * faults drawn from a seeded random.
 *
 * <p>HTTP API (JSON):
 *
 * <ul>
 *   <li>{@code GET /v1/reports?period=YYYY-MM} — 200 {@code {"period", "reports": [{"id", "period",
 *       "rows", "checksum", "checksumAlgorithm": "sha256-canonical-v1"}]}}; 400 for a missing or
 *       malformed period.
 *   <li>{@code GET /v1/reports/{id}/rows?cursor=&limit=} — 200 {@code {"report", "rows": [...],
 *       "nextCursor"}}: up to {@code limit} rows (default 200, at most {@link
 *       SimDspConfig#maxPageSize()}) starting at the cursor (none: the first row); {@code
 *       nextCursor} is null on the last page. Cursors are opaque. 404 for an unknown report, 400
 *       for a bad cursor or limit.
 *   <li>{@code GET /v1/stats} — {@link #stats()} as JSON, outside quota and faults.
 * </ul>
 *
 * <p>A row is an object with {@code row} (its 1-based number) and the strings {@code periodStart},
 * {@code periodEnd}, {@code territory}, {@code isrc}, {@code upc} (empty when the line has none),
 * {@code title}, {@code artist}, {@code commercialModel}, {@code useType}, {@code quantity}, {@code
 * amount}, {@code currency} and {@code saleType} ({@code SALE} or {@code RETURN}). A share of rows
 * ({@link SimDspConfig#invalidRate()}) is invalid on purpose; the checksum covers them too. The
 * checksum is the SHA-256 of the rows in the canonical form {@link CanonicalRows} defines (also in
 * {@code docs/sim.md}).
 *
 * <p>Every API request passes the quota first (429 with {@code Retry-After} in whole seconds, and
 * {@code X-RateLimit-Remaining}/{@code X-RateLimit-Reset}), then the fault dice, drawn once per
 * request: 429 with {@code Retry-After: 1}, 500, 503, a connection reset, or a truncated body (a
 * 200 whose JSON is cut off; only answers that would have been 200 are cut). Quota windows and
 * {@code Date} headers run on the injected clock. Thread-safe; close it to stop the server.
 */
public final class SimDsp implements AutoCloseable {
  /** The checksum algorithm the manifest names. */
  public static final String CHECKSUM_ALGORITHM = CanonicalRows.ALGORITHM;

  private static final int DEFAULT_PAGE = 200;
  private static final Pattern CURSOR = Pattern.compile("o:(\\d{1,12})");
  private static final Pattern REPORT_ID = Pattern.compile("rpt-(\\d{4}-\\d{2})-(\\d{1,4})");

  private final SimDspConfig config;
  private final DspRows rows;
  private final Quotas quotas;
  private final FaultDice dice;
  private final Javalin app;
  private final ConcurrentMap<String, Manifest> manifests = new ConcurrentHashMap<>();
  private final JsonFactory json = new JsonFactory();
  private final LongAdder requests = new LongAdder();
  private final LongAdder pages = new LongAdder();
  private final LongAdder rowsServed = new LongAdder();
  private final LongAdder throttled = new LongAdder();
  private final LongAdder resets = new LongAdder();
  private final LongAdder truncated = new LongAdder();
  private final ConcurrentMap<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();

  /** A report as the listing describes it. */
  private record Manifest(String id, YearMonth period, int rows, String checksum) {}

  private SimDsp(SimDspConfig config, Clock clock) {
    this.config = config;
    this.rows = new DspRows(config.seed(), config.invalidRate());
    this.quotas =
        new Quotas(config.quotas().isEmpty() ? Map.of() : Map.of("read", config.quotas()), clock);
    this.dice =
        new FaultDice(
            config.seed(),
            new FaultDice.Fault[] {
              FaultDice.Fault.S429,
              FaultDice.Fault.S500,
              FaultDice.Fault.S503,
              FaultDice.Fault.RESET,
              FaultDice.Fault.TRUNCATE
            },
            new double[] {
              config.p429(), config.p500(), config.p503(), config.pReset(), config.pTruncate()
            });
    this.app =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.startup.showOldJavalinVersionWarning = false;
              cfg.startup.startupWatcherEnabled = false;
              cfg.jetty.host = "127.0.0.1";
              cfg.jetty.port = config.port();
              cfg.jetty.modifyHttpConfiguration(
                  http -> {
                    http.setSendDateHeader(false); // Date comes from the injected clock
                    http.setSendServerVersion(false);
                  });
              var routes = cfg.routes;
              routes.before(ctx -> ctx.header("Date", HttpDates.format(clock.instant())));
              routes.get("/v1/reports", ctx -> serve(ctx, this::list));
              routes.get("/v1/reports/{id}/rows", ctx -> serve(ctx, this::page));
              routes.get(
                  "/v1/stats",
                  ctx -> ctx.status(200).contentType("application/json").result(stats()));
            });
  }

  /**
   * Starts a DSP bound to {@code 127.0.0.1:config.port()} (0 for an ephemeral port).
   *
   * @param clock the clock for quota windows and {@code Date} headers
   */
  public static SimDsp start(SimDspConfig config, Clock clock) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    SimDsp dsp = new SimDsp(config, clock);
    dsp.app.start();
    return dsp;
  }

  /** {@code http://127.0.0.1:port}, without a trailing slash. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + app.port());
  }

  /** The loopback port the DSP listens on. */
  public int port() {
    return app.port();
  }

  /** The configuration the DSP was started with. */
  public SimDspConfig config() {
    return config;
  }

  /** The number of rows report {@code id} has, as its manifest says. */
  public int rowCount(String id) {
    return manifest(id).rows();
  }

  /** The ids of the reports of {@code period}, in listing order. */
  public List<String> reportIds(YearMonth period) {
    return manifests(period).stream().map(Manifest::id).toList();
  }

  /**
   * Counters as JSON: {@code requests} (API requests, faults included), {@code pages} and {@code
   * rowsServed} (complete 200 pages), {@code throttled} (429s), {@code resets}, {@code truncated},
   * {@code byStatus}.
   */
  public String stats() {
    StringBuilder b = new StringBuilder("{\"requests\":").append(requests.sum());
    b.append(",\"pages\":").append(pages.sum());
    b.append(",\"rowsServed\":").append(rowsServed.sum());
    b.append(",\"throttled\":").append(throttled.sum());
    b.append(",\"resets\":").append(resets.sum());
    b.append(",\"truncated\":").append(truncated.sum());
    b.append(",\"byStatus\":{");
    String sep = "";
    for (var e : new java.util.TreeMap<>(byStatus).entrySet()) {
      b.append(sep).append('"').append(e.getKey()).append("\":").append(e.getValue().get());
      sep = ",";
    }
    return b.append("}}").toString();
  }

  /** Requests answered with a connection reset. */
  public long resets() {
    return resets.sum();
  }

  /** 200 answers whose body was cut off. */
  public long truncatedBodies() {
    return truncated.sum();
  }

  /** 429 answers, from the quota and from the dice. */
  public long throttled() {
    return throttled.sum();
  }

  /** Complete row pages served. */
  public long pagesServed() {
    return pages.sum();
  }

  @Override
  public void close() {
    app.stop();
  }

  // ---------------------------------------------------------------- handling

  /** What a handler answers when quota and dice let the request through. */
  private record Answer(int status, byte[] body) {}

  private interface Handler {
    Answer handle(Context ctx);
  }

  private void serve(Context ctx, Handler handler) {
    requests.increment();
    Quotas.Decision quota = quotas.take("dsp", "read");
    if (quota != null) {
      ctx.header("X-RateLimit-Remaining", Long.toString(quota.remaining()));
      ctx.header("X-RateLimit-Reset", Long.toString(HttpDates.ceilSeconds(quota.resetNanos())));
      if (!quota.allowed()) {
        throttled.increment();
        ctx.header("Retry-After", Long.toString(HttpDates.ceilSeconds(quota.resetNanos())));
        answer(ctx, 429, error("rate_limited"));
        return;
      }
    }
    FaultDice.Fault fault = dice.draw();
    switch (fault) {
      case S429 -> {
        throttled.increment();
        ctx.header("Retry-After", "1");
        answer(ctx, 429, error("rate_limited"));
        return;
      }
      case S500 -> {
        answer(ctx, 500, error("internal_error"));
        return;
      }
      case S503 -> {
        answer(ctx, 503, error("service_unavailable"));
        return;
      }
      case RESET -> {
        resets.increment();
        SimDelivery.reset(ctx);
        return;
      }
      default -> {}
    }
    Answer a = handler.handle(ctx);
    byte[] body = a.body();
    if (a.status() == 200 && fault == FaultDice.Fault.TRUNCATE && body.length > 2) {
      truncated.increment();
      // Cut somewhere in the middle: the status and headers are right, the document is not.
      int cut = body.length / 3 + (int) Math.floorMod(body.length * 31L, body.length / 3 + 1);
      body = java.util.Arrays.copyOf(body, Math.min(cut, body.length - 1));
    } else if (a.status() == 200 && ctx.path().endsWith("/rows")) {
      pages.increment();
    }
    answer(ctx, a.status(), body);
  }

  private void answer(Context ctx, int status, byte[] body) {
    byStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
    ctx.status(status).contentType("application/json").result(body);
  }

  private Answer list(Context ctx) {
    String raw = ctx.queryParam("period");
    YearMonth period;
    try {
      period = YearMonth.parse(raw == null ? "" : raw);
    } catch (DateTimeParseException e) {
      return new Answer(400, error("period '" + raw + "' is not YYYY-MM"));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = json.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("period", period.toString());
      g.writeArrayFieldStart("reports");
      for (Manifest m : manifests(period)) {
        g.writeStartObject();
        g.writeStringField("id", m.id());
        g.writeStringField("period", m.period().toString());
        g.writeNumberField("rows", m.rows());
        g.writeStringField("checksum", m.checksum());
        g.writeStringField("checksumAlgorithm", CHECKSUM_ALGORITHM);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Answer(200, out.toByteArray());
  }

  private Answer page(Context ctx) {
    String id = ctx.pathParam("id");
    Manifest m;
    try {
      m = manifest(id);
    } catch (IllegalArgumentException e) {
      return new Answer(404, error("no report '" + id + "'"));
    }
    long offset = 0;
    String cursor = ctx.queryParam("cursor");
    if (cursor != null && !cursor.isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        decoded = "";
      }
      Matcher c = CURSOR.matcher(decoded);
      if (!c.matches() || Long.parseLong(c.group(1)) > m.rows()) {
        return new Answer(400, error("cursor '" + cursor + "' is not a cursor of " + id));
      }
      offset = Long.parseLong(c.group(1));
    }
    int limit = DEFAULT_PAGE;
    String rawLimit = ctx.queryParam("limit");
    if (rawLimit != null) {
      try {
        limit = Integer.parseInt(rawLimit);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1) {
        return new Answer(400, error("limit '" + rawLimit + "' is not a positive integer"));
      }
    }
    limit = Math.min(limit, config.maxPageSize());
    long end = Math.min(m.rows(), offset + limit);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = json.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("report", id);
      g.writeArrayFieldStart("rows");
      for (long n = offset + 1; n <= end; n++) {
        g.writeStartObject();
        for (Map.Entry<String, Object> f : rows.row(id, m.period(), n).entrySet()) {
          if (f.getValue() instanceof Long l) {
            g.writeNumberField(f.getKey(), l);
          } else {
            g.writeStringField(f.getKey(), (String) f.getValue());
          }
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      if (end < m.rows()) {
        g.writeStringField(
            "nextCursor",
            Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("o:" + end).getBytes(StandardCharsets.UTF_8)));
      } else {
        g.writeNullField("nextCursor");
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    rowsServed.add(end - offset);
    return new Answer(200, out.toByteArray());
  }

  private List<Manifest> manifests(YearMonth period) {
    List<Manifest> out = new java.util.ArrayList<>();
    for (int i = 1; i <= config.reportsPerPeriod(); i++) {
      out.add(manifest(reportId(period, i)));
    }
    return out;
  }

  private static String reportId(YearMonth period, int index) {
    return "rpt-" + period + "-" + index;
  }

  /** The manifest of {@code id}; computing its checksum reads every row once, then it is kept. */
  private Manifest manifest(String id) {
    Matcher m = REPORT_ID.matcher(id);
    if (!m.matches()) {
      throw new IllegalArgumentException("no report '" + id + "'");
    }
    YearMonth period = YearMonth.parse(m.group(1));
    int index = Integer.parseInt(m.group(2));
    if (index < 1 || index > config.reportsPerPeriod() || !id.equals(reportId(period, index))) {
      throw new IllegalArgumentException("no report '" + id + "'");
    }
    return manifests.computeIfAbsent(
        id,
        k -> {
          int n = DspRows.rowCount(config.seed(), period, index, config.rowsPerReport());
          return new Manifest(k, period, n, rows.checksum(k, period, n));
        });
  }

  private static byte[] error(String message) {
    return ("{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
