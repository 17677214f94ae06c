package dev.paritysync.royalty.dsp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.core.backoff.Backoff;
import dev.paritysync.core.backoff.Jitter;
import dev.paritysync.core.breaker.BreakerConfig;
import dev.paritysync.core.classify.FailureKind;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Response;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.metrics.CoreMetrics;
import dev.paritysync.core.retry.AttemptEvent;
import dev.paritysync.core.retry.AttemptListener;
import dev.paritysync.core.retry.Call;
import dev.paritysync.core.retry.CallResult;
import dev.paritysync.core.retry.ChannelPolicy;
import dev.paritysync.core.retry.Exchanged;
import dev.paritysync.core.retry.ResilientExecutor;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.royalty.Deliveries;
import dev.paritysync.royalty.IngestedDelivery;
import dev.paritysync.royalty.SourceConfig;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.Queues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Pulls a DSP's reports page by page into the store, so that a crash at any instant loses no row
 * and duplicates none.
 *
 * <p>Every request goes through the resilience core ({@link ResilientExecutor}: circuit breaker →
 * quota, including the waits the DSP asks for → exchange → classification → retry with backoff or
 * after {@code Retry-After}, under a retry budget); waits are scheduled on the injected {@link
 * Scheduler}, never slept. A 200 whose body is not a complete JSON document (cut off mid-body) is
 * classified as {@link FailureKind#CONNECTION_RESET}, so it is retried like a reset and never
 * half-used.
 *
 * <p>Each page's rows are validated with the source's {@link RowValidator}; then <b>one
 * transaction</b> stores the page's rows in {@code royalty_rows} (keyed by source, report and row
 * number, so a replayed page adds nothing), a dead letter for each new invalid row, and the
 * checkpoint (the next page's cursor) in {@code royalty_reports}. A crash before the commit leaves
 * the previous checkpoint, and the page is fetched again; a crash after it resumes at the next
 * page.
 *
 * <p>After the last page, the report is complete only if the staged rows (valid and dead) number
 * the manifest's rows and their checksum, recomputed from the store, equals the manifest's; then
 * the valid rows go to the {@link ReportSink}, and one transaction marks the report complete and
 * records the delivery in {@link Deliveries} (route {@code api}, report id = the DSP's), replacing
 * an earlier delivery of the same report by file. Otherwise the valid rows are published all the
 * same, the delivery is recorded <em>incomplete</em> with the mismatch as its reason (so a later
 * complete delivery, such as the file export, replaces it), and {@link ReportMismatchException}
 * names both counts and checksums; a mismatch never replaces a complete delivery of the report
 * (then nothing is published).
 *
 * <p>Defaults: pages of {@value #DEFAULT_PAGE_SIZE} rows; the policy {@link #defaultPolicy}; no
 * sink ({@link ReportSink#NONE}); a {@link SimpleMeterRegistry}; an unseeded {@link
 * SplittableRandom}. {@link #pull} and {@link #list} block the calling thread until done; one
 * report should be pulled by one thread at a time (a second concurrent pull of it fails rather than
 * duplicating). Thread-safe otherwise.
 */
public final class DspSource {
  /** The Flyway location of the staging tables: add it to the {@code DatabaseConfig}. */
  public static final String MIGRATIONS = "classpath:db/migration/royalty";

  /** Rows asked for per page unless set: {@value}. */
  public static final int DEFAULT_PAGE_SIZE = 500;

  /**
   * The endpoint kind of every request to the DSP, for quotas in a {@link ChannelPolicy}: {@code
   * policy.withQuota(DspSource.ENDPOINT, limits)} limits the client's request rate.
   */
  public static final String ENDPOINT = "read";

  // The quota key's scope: a DSP's limits are per account, so one constant scope.
  private static final String SCOPE = "reports";

  private final URI base;
  private final SourceConfig config;
  private final Transport transport;
  private final Clock clock;
  private final ResilientExecutor executor;
  private final JsonRows rows;
  private final DspStaging staging;
  private final Delivering delivering;
  private final ReportSink sink;
  private final PullListener listener;
  private final PullMetrics metrics;
  private final int pageSize;
  private final ObjectMapper json = new ObjectMapper();

  private DspSource(Builder b) {
    // build() checked these; said again where the compiler can see it
    Database database = Objects.requireNonNull(b.database, "database");
    Scheduler scheduler = Objects.requireNonNull(b.scheduler, "scheduler");
    MeterRegistry registry = b.registry != null ? b.registry : new SimpleMeterRegistry();
    this.base = b.base;
    this.config = b.config;
    this.transport = Objects.requireNonNull(b.transport, "transport");
    this.clock = scheduler.clock();
    this.sink = b.sink;
    this.listener = b.listener;
    this.pageSize = b.pageSize;
    this.rows = new JsonRows(config);
    this.metrics = new PullMetrics(config.name(), clock, registry);
    Queues queues = new Queues(new Ledger(clock), clock);
    this.staging = new DspStaging(database, queues);
    this.delivering =
        new Delivering(
            config.name(), staging, database, new Deliveries(clock), sink, clock, queues);
    ChannelPolicy policy = b.policy == null ? defaultPolicy(config.name()) : b.policy;
    if (!policy.channel().equals(config.name())) {
      throw new IllegalArgumentException(
          "policy is for channel '"
              + policy.channel()
              + "', the source is '"
              + config.name()
              + "'");
    }
    AttemptListener attempts = b.attempts;
    this.executor =
        ResilientExecutor.builder(scheduler)
            .withPolicy(policy)
            .withRandom(b.random != null ? b.random : new SplittableRandom())
            .withMetrics(new CoreMetrics(registry))
            .onAttempt(
                e -> {
                  metrics.attempt(e);
                  attempts.onAttempt(e);
                })
            .build();
  }

  /**
   * A builder for pulling from the DSP at {@code baseUri} ({@code http://host:port}) as source
   * {@code config}, whose columns name the JSON properties of a row (see {@link
   * SourceConfig.Format#JSON}).
   */
  public static Builder builder(URI baseUri, SourceConfig config) {
    return new Builder(baseUri, config);
  }

  /**
   * The DSP policy for {@code source}: backoff from 500 ms, ×2, +0–50 % jitter, capped at 30 s, up
   * to 10 retries; a retry budget of 50 % of first attempts (at least 10 per 10 s); server waits up
   * to 15 min; a circuit breaker with the core's thresholds that stays open 5 s and closes after
   * one good probe (one puller has few calls to spare); one request at a time (pages follow
   * cursors); the default classification table.
   */
  public static ChannelPolicy defaultPolicy(String source) {
    return ChannelPolicy.builder(source)
        .withBackoff(
            Backoff.builder()
                .withBase(Duration.ofMillis(500))
                .withMultiplier(2)
                .withCap(Duration.ofSeconds(30))
                .withMaxRetries(10)
                .withJitter(Jitter.proportional(0.5))
                .build())
        .withRetryBudget(0.5, 10, Duration.ofSeconds(10))
        .withBreaker(
            BreakerConfig.defaults().withOpenDuration(Duration.ofSeconds(5)).withHalfOpenCalls(1))
        .withConcurrency(1)
        .build();
  }

  /** The metrics of this source's run so far. */
  public PullMetrics metrics() {
    return metrics;
  }

  /** HTTP exchanges outstanding; for drivers of virtual time. */
  public int inFlight() {
    return executor.inFlight();
  }

  /**
   * The reports the DSP lists for {@code period}.
   *
   * @throws DspPullException when the DSP refuses for good or answers outside its contract
   */
  public List<ReportManifest> list(YearMonth period) {
    URI uri = base.resolve("/v1/reports?period=" + period);
    JsonNode body = fetch(uri, "listing of " + period, "list-" + period);
    JsonNode reports = body.get("reports");
    if (reports == null || !reports.isArray()) {
      throw new DspPullException("listing of " + period + " from " + base + " has no 'reports'");
    }
    List<ReportManifest> out = new ArrayList<>();
    for (JsonNode r : reports) {
      String id = text(r, "id");
      try {
        YearMonth p = YearMonth.parse(text(r, "period"));
        JsonNode rows = r.get("rows");
        if (rows == null || !rows.canConvertToLong()) {
          throw new IllegalArgumentException("'rows' is not a number");
        }
        out.add(new ReportManifest(id, p, rows.asLong(), text(r, "checksum")));
      } catch (IllegalArgumentException | DateTimeParseException e) {
        throw new DspPullException(
            "listing of " + period + ": report " + id + " is malformed: " + e.getMessage());
      }
    }
    return out;
  }

  /**
   * Pulls {@code report} from its checkpoint to its end, verifies it against its manifest, hands
   * its valid rows to the sink and marks it complete. A report already complete is left as it is.
   *
   * @return the report's state after the pull
   * @throws DspPullException when the DSP refuses for good; the checkpoint keeps what was committed
   * @throws ReportMismatchException when the staged rows do not match the manifest
   */
  public PullResult pull(ReportManifest report) {
    String source = config.name();
    DspStaging.Checkpoint at = staging.begin(source, report, clock.millis());
    if (at.state() == DspStaging.State.COMPLETE) {
      return new PullResult(report, at.pages(), report.rows(), true, true, List.of());
    }
    long staged = staging.stagedRows(source, report.id());
    while (!at.lastPage()) {
      StringBuilder path =
          new StringBuilder("/v1/reports/")
              .append(URLEncoder.encode(report.id(), StandardCharsets.UTF_8))
              .append("/rows?limit=")
              .append(pageSize);
      if (at.nextCursor() != null) {
        path.append("&cursor=").append(URLEncoder.encode(at.nextCursor(), StandardCharsets.UTF_8));
      }
      String what =
          "page "
              + (at.pages() + 1)
              + " of report "
              + report.id()
              + (at.nextCursor() == null ? "" : " (cursor " + at.nextCursor() + ")");
      JsonNode page = fetch(base.resolve(path.toString()), what, report.id());
      JsonNode pageRows = page.get("rows");
      if (pageRows == null || !pageRows.isArray()) {
        throw new DspPullException(what + " has no 'rows'");
      }
      JsonNode next = page.get("nextCursor");
      String nextCursor = next == null || next.isNull() ? null : next.asText();
      if (nextCursor != null && pageRows.isEmpty()) {
        throw new DspPullException(what + " is empty but names a next cursor");
      }
      List<DspStaging.Staged> batch = new ArrayList<>(pageRows.size());
      for (JsonNode row : pageRows) {
        batch.add(rows.stage(report, row, what));
      }
      DspStaging.Committed done = staging.commitPage(source, report.id(), at, batch, nextCursor);
      at = done.checkpoint();
      staged += done.newValid() + done.newDead();
      metrics.page(done.newValid(), done.newDead());
      listener.onPage(
          new PullListener.Progress(
              report.id(), at.pages(), staged, report.rows(), metrics.retries()));
    }
    List<IngestedDelivery> replaced = delivering.finish(report);
    metrics.completed(
        report.id(), Duration.ofMillis(Math.max(0, clock.millis() - at.requestedAt())));
    return new PullResult(report, at.pages(), report.rows(), true, false, replaced);
  }

  /**
   * What a pull ended with.
   *
   * @param pages pages committed for the report, across restarts
   * @param stagedRows rows staged, valid and dead
   * @param complete whether the report is complete (verified and published)
   * @param alreadyComplete whether it was complete before this pull
   * @param replaced the earlier deliveries of the report (a file upload, say) whose rows this pull
   *     replaced
   */
  public record PullResult(
      ReportManifest report,
      long pages,
      long stagedRows,
      boolean complete,
      boolean alreadyComplete,
      List<IngestedDelivery> replaced) {
    /** Copies the list. */
    public PullResult {
      replaced = List.copyOf(replaced);
    }
  }

  /** GETs {@code uri} through the executor; the parsed body of the 200, or an exception. */
  private JsonNode fetch(URI uri, String what, String correlationId) {
    AtomicReference<JsonNode> parsed = new AtomicReference<>();
    Request request = Request.get(uri).withHeader("Accept", "application/json");
    Call call =
        new Call(
            config.name(),
            SCOPE,
            ENDPOINT,
            null,
            correlationId,
            (context, token) ->
                transport
                    .send(request, context)
                    .thenApply(response -> exchanged(response, parsed)));
    CallResult result = executor.submit(call).join();
    if (!result.acknowledged() || parsed.get() == null) {
      Response last = result.last() == null ? null : result.last().response();
      String answer =
          last == null
              ? (result.last() == null ? "no answer" : result.last().outcome().toString())
              : last.status() + " " + abbreviate(last.bodyText());
      throw new DspPullException(
          what
              + " from "
              + base
              + " failed after "
              + result.attempts()
              + " attempts ("
              + result.reason()
              + "): last answer "
              + answer);
    }
    return parsed.get();
  }

  private Exchanged exchanged(Response response, AtomicReference<JsonNode> parsed) {
    if (response.status() == 200) {
      JsonNode body;
      try {
        body = json.readTree(response.body());
      } catch (IOException e) {
        body = null;
      }
      if (body == null || !body.isObject()) {
        metrics.truncated();
        // A 200 with a cut-off document is as good as a reset: retry it, use none of it.
        return new Exchanged(Outcome.failure(FailureKind.CONNECTION_RESET), response);
      }
      parsed.set(body);
    }
    return new Exchanged(Transport.outcomeOf(response), response);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull() || !v.isValueNode()) {
      throw new DspPullException(
          "DSP answer lacks '" + field + "': " + abbreviate(node.toString()));
    }
    return v.asText();
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  /** Builds a {@link DspSource}. Not thread-safe. */
  public static final class Builder {
    private final URI base;
    private final SourceConfig config;
    private @Nullable Database database;
    private @Nullable Transport transport;
    private @Nullable Scheduler scheduler;
    private @Nullable ChannelPolicy policy;
    private ReportSink sink = ReportSink.NONE;
    private PullListener listener = PullListener.NONE;
    private AttemptListener attempts = e -> {};
    private @Nullable MeterRegistry registry;
    private @Nullable RandomGenerator random;
    private int pageSize = DEFAULT_PAGE_SIZE;

    private Builder(URI base, SourceConfig config) {
      this.base = Objects.requireNonNull(base, "baseUri");
      this.config = Objects.requireNonNull(config, "config");
      if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
        throw new IllegalArgumentException("--dsp: '" + base + "' is not an http(s) URL");
      }
      if (base.getHost() == null) {
        throw new IllegalArgumentException("--dsp: '" + base + "' has no host");
      }
    }

    /** The store, migrated with {@link #MIGRATIONS}. Required. */
    public Builder withDatabase(Database database) {
      this.database = Objects.requireNonNull(database, "database");
      return this;
    }

    /** The HTTP transport. Required. */
    public Builder withTransport(Transport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /** Where waits are scheduled; its clock is the source's clock. Required. */
    public Builder withScheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The resilience policy; its channel must be the source's name. Default: {@link
     * DspSource#defaultPolicy} of the source.
     */
    public Builder withPolicy(ChannelPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Where complete reports go; see {@link ReportSink}. Default: {@link ReportSink#NONE}. */
    public Builder withSink(ReportSink sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /** Hears of every committed page, on the pulling thread. Default: {@link PullListener#NONE}. */
    public Builder onPage(PullListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Hears of every attempt at the DSP, a retried one with the delay chosen before the next
     * ({@link AttemptEvent#chosenDelay()}) and the wait the DSP asked for, for progress output; the
     * correlation id is {@code list-<period>} or the report id. Called on the scheduler's thread;
     * must not block. Default: none.
     */
    public Builder onAttempt(AttemptListener listener) {
      this.attempts = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Where the pull's and the core's meters go. Default: a new {@link SimpleMeterRegistry}. */
    public Builder withMeterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * The randomness of jitter; seed it for reproducible runs. Default: an unseeded {@link
     * SplittableRandom}.
     */
    public Builder withRandom(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Rows asked for per page, 1–10,000. Default: {@value DspSource#DEFAULT_PAGE_SIZE}. */
    public Builder withPageSize(int rows) {
      if (rows < 1 || rows > 10_000) {
        throw new IllegalArgumentException("page size must be 1-10000, was " + rows);
      }
      this.pageSize = rows;
      return this;
    }

    /**
     * A source with these settings.
     *
     * @throws IllegalStateException naming a required setting that is missing
     * @throws IllegalArgumentException when the source's format is not {@code json}, or the policy
     *     is for another channel
     */
    public DspSource build() {
      if (database == null) {
        throw new IllegalStateException("withDatabase(...) is required");
      }
      if (transport == null) {
        throw new IllegalStateException("withTransport(...) is required");
      }
      if (scheduler == null) {
        throw new IllegalStateException("withScheduler(...) is required");
      }
      if (config.format() != SourceConfig.Format.JSON) {
        throw new IllegalArgumentException(
            "source " + config.name() + ": a DSP source needs format json, not " + config.format());
      }
      return new DspSource(this);
    }
  }
}
