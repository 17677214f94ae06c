package dev.paritysync.hotel.engine;

import dev.paritysync.core.auth.CredentialsException;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.http.CallContext;
import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Response;
import dev.paritysync.core.http.TraceContext;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.quota.QuotaKey;
import dev.paritysync.core.retry.RetryDecider;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.hotel.adapter.ChannelAdapter;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.LedgerEntry;
import dev.paritysync.store.WorkItem;
import dev.paritysync.store.WorkQueue;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers one channel's batches. {@link #runOnce()} claims the batches due now (up to the
 * channel's concurrency, under a lease owned by this worker) and, for each: asks the gates of its
 * {@link Admission} — the retry budget (retries only), the circuit and the property's quota, this
 * process's or the cluster's — and if any says wait, the batch goes back to the queue due after the
 * wait, unsent and not counted as an attempt; otherwise sends it with the batch id as idempotency
 * key, classifies the outcome with the {@link RetryDecider} (its state restored from the database)
 * and records, in one transaction with the queue change:
 *
 * <ul>
 *   <li>ack: the cells' acknowledged version becomes the version in flight, the successor may go;
 *   <li>retry: the batch is due again after the decided delay (a retry as data), state saved;
 *   <li>dead letter or reconciliation: the batch enters that queue with the last request and
 *       response and every attempt; its cells leave flight so their successors may go. When the
 *       channel's field errors name the ranges it rejected (see {@link ChannelAdapter#rangesOf}),
 *       only those ranges' cells are parked; the others go back to pending and travel in a new
 *       batch.
 * </ul>
 *
 * A batch due again whose cells have newer versions pending, and no request of which can still be
 * on the wire, is superseded: it ends unsent and its cells travel, newest, in a new batch.
 *
 * <p>A batch the adapter encodes into several {@linkplain ChannelAdapter.Part parts} is sent one
 * part per claim, in order, each through the gates above with its own idempotency key ({@link
 * ChannelAdapter#partKey}) and its own retry state. An acknowledged part that is not the last makes
 * the batch due again at once for the next ({@code batch.part_acknowledged}); the last part's
 * acknowledgement acknowledges the batch. A part that ends in a queue parks the batch (with the
 * number of parts the channel already applied in its evidence).
 *
 * <p>Every answer teaches the gates: a wait the channel announced — {@code Retry-After} on a 429 or
 * 503, or {@code RateLimit-Remaining: 0} / {@code X-RateLimit-Remaining: 0} with a reset on any
 * answer, a 2xx included — pauses the quota key, so no request of the key goes out before it ends.
 *
 * <p>Every attempt is in the ledger ({@code attempt}: status, latency, delay, action). A worker
 * that dies leaves its batches leased; when the lease expires another worker claims them, with the
 * same id and so the same idempotency key. No thread ever sleeps: waits are {@code
 * next_attempt_at}.
 *
 * <p>{@code runOnce} waits for the HTTP responses of what it sent; run one call at a time per
 * worker. Several workers (with distinct owners) may serve one channel.
 */
public final class DeliveryWorker {
  private static final String ENDPOINT = ChannelAdapter.DEFAULT_ENDPOINT;
  private static final Duration TOKEN_RETRY = Duration.ofSeconds(30);

  private final Database db;
  private final WorkQueue queue;
  private final Ledger ledger;
  private final Clock clock;
  private final String channel;
  private final ChannelAdapter adapter;
  private final Transport transport;
  private final RetryDecider decider;
  private final Admission admission;
  private final Parking parking;
  private final String owner;
  private final Duration lease;
  private final int concurrency;
  private final SplittableRandom random;
  private final Authenticator authenticator;
  private final EngineMetrics metrics;
  private final EngineTraces traces;
  private final AtomicLong requests = new AtomicLong();

  DeliveryWorker(DeliveryWorkerBuilder b) {
    this.db = b.db;
    this.queue = b.queue;
    this.ledger = b.ledger;
    this.clock = b.clock;
    this.channel = b.channel;
    this.adapter = b.adapter;
    this.transport = b.transport;
    this.decider = b.decider;
    this.admission =
        b.admission != null
            ? b.admission
            : Admission.local(
                b.channel,
                b.clock,
                b.breakers.get(b.channel, ENDPOINT, b.decider.policy().breaker()),
                b.quotas,
                b.decider);
    this.owner = b.owner;
    this.parking = new Parking(b.db, b.queue, b.ledger, b.queues, b.channel, b.owner, b.adapter);
    this.lease = b.lease;
    this.concurrency = b.concurrency > 0 ? b.concurrency : b.decider.policy().concurrency();
    this.random = new SplittableRandom(b.seed);
    this.authenticator = b.authenticator;
    this.metrics = b.metrics;
    this.traces = new EngineTraces(b.otel, b.clock);
  }

  /** Starts a builder; every {@code with} call except those marked optional is required. */
  public static DeliveryWorkerBuilder builder() {
    return new DeliveryWorkerBuilder();
  }

  /** How many requests this worker has sent to the channel since it was built. */
  public long requestsSent() {
    return requests.get();
  }

  /** The channel this worker delivers to. */
  public String channel() {
    return channel;
  }

  /** This worker's lease owner id. */
  public String owner() {
    return owner;
  }

  /**
   * Claims the batches due now and delivers them; returns how many were sent (deferred ones are not
   * counted).
   */
  public int runOnce() {
    List<Claimed> claimed =
        db.inTransaction(
            c -> {
              List<Claimed> out = new ArrayList<>();
              for (WorkItem item :
                  queue.claim(c, Batcher.queueName(channel), owner, concurrency, lease)) {
                BatchState state = BatchState.load(c, item.id());
                boolean superseded =
                    state.decider().retries() > 0
                        && accountedFor(item, state)
                        && Outbox.superseded(c, channel, item.id()) > 0;
                out.add(new Claimed(item, state, superseded));
              }
              return out;
            });
    List<InFlight> sent = new ArrayList<>();
    for (Claimed cl : claimed) {
      if (cl.superseded) {
        supersede(cl.item);
        continue;
      }
      InFlight f = trySend(cl);
      if (f != null) {
        sent.add(f);
      }
    }
    int requestsSent = 0;
    for (InFlight f : sent) {
      try {
        Response response = null;
        Outcome outcome;
        try {
          response = f.future.join();
          outcome = adapter.decode(response);
        } catch (CompletionException e) {
          if (e.getCause() instanceof CredentialsException ce) {
            f.span.setStatus(StatusCode.ERROR, "no token: " + ce.reason());
            noToken(f, ce);
            continue;
          }
          outcome = Transport.outcomeOf(e);
        }
        requestsSent++;
        requests.incrementAndGet();
        record(f, outcome, response);
      } finally {
        traces.end(f.span);
      }
    }
    return requestsSent;
  }

  /**
   * Runs {@link #runOnce()} every {@code interval} on {@code scheduler} until the returned handle
   * is cancelled. A failing run is retried at the next tick.
   */
  public Scheduler.Cancellable loop(Scheduler scheduler, Duration interval) {
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(interval, "interval");
    return WorkerLoop.start(scheduler, interval, this::runOnce);
  }

  private InFlight trySend(Claimed cl) {
    WorkItem item = cl.item;
    BatchPayload batch = BatchPayload.fromJson(item.payload());
    List<ChannelAdapter.Part> parts;
    try {
      parts = adapter.encode(item.id(), batch.property(), batch.ranges());
    } catch (IllegalArgumentException e) {
      // The channel's configuration cannot express these cells (a code or currency it lacks):
      // no retry can help, and the batch must not fail every tick, so a person gets it.
      parking.unsent(
          item, batch, "configuration: the adapter cannot encode this batch: " + e.getMessage());
      return null;
    }
    if (parts.isEmpty()) {
      throw new IllegalStateException("adapter encoded batch " + item.id() + " into no request");
    }
    // The parts already acknowledged are not sent again. Should the encoding have changed since
    // (a new size cap between runs), the last part is the one resent: it is idempotent, and the
    // batch is acknowledged only by the channel's answer to a request.
    int index = Math.min(cl.state.partsDone(), parts.size() - 1);
    ChannelAdapter.Part part = parts.get(index);
    QuotaKey key = new QuotaKey(channel, batch.property(), part.endpoint());
    boolean retry = cl.state.decider().retries() > 0;
    Admission.Verdict verdict = admission.admit(key, retry);
    if (!verdict.admittedNow()) {
      String gate = verdict.gate();
      if (metrics != null && gate.equals("retry_budget")) {
        metrics.core().budgetExhausted(channel);
      } else if (metrics != null && gate.equals("quota")) {
        metrics.core().quotaWait(channel, verdict.delay());
      }
      defer(item, batch, verdict.delay(), gate);
      return null;
    }
    int attempt =
        Math.max(
            1,
            item.attempts()
                - cl.state.deferrals()
                - cl.state.partsDone()
                - cl.state.priorRetries());
    String correlation =
        batch.primaryCorrelationId() == null ? item.id() : batch.primaryCorrelationId();
    // The attempt continues the trace of the ingest calls behind the batch (see EngineTraces).
    Origins origins = db.read(c -> Origins.of(c, batch));
    Span span = traces.startAttempt(channel, item.id(), attempt, origins.traceparents());
    String traceparent = EngineTraces.traceparent(span);
    CallContext context;
    synchronized (random) {
      context =
          new CallContext(
              correlation,
              ChannelAdapter.partKey(item.id(), index, parts.size()),
              traceparent != null ? traceparent : TraceContext.newRoot(random).header(),
              channel,
              batch.property(),
              attempt);
    }
    Request request = part.request();
    long start = clock.nanoTime();
    CompletableFuture<Authenticator.Authorized> authorized;
    CompletableFuture<Response> future;
    try {
      authorized = authenticator.authorize(request);
      future = authorized.thenCompose(a -> transport.send(a.request(), context));
    } catch (RuntimeException e) {
      authorized = CompletableFuture.failedFuture(e);
      future = CompletableFuture.failedFuture(e);
    }
    return new InFlight(
        item,
        cl.state,
        batch,
        key,
        verdict,
        part,
        index,
        parts.size(),
        request,
        attempt,
        start,
        authorized,
        future,
        retry,
        origins,
        span,
        context);
  }

  /**
   * Whether every earlier claim of {@code item} ended with a recorded outcome (a retry, a token
   * refresh or a deferral), so no request of it can still be on the wire. A claim that ended in a
   * crash or an expired lease is not accounted for: its request may still land, so the batch is
   * resent as it is (same values, same idempotency key) rather than superseded.
   */
  private static boolean accountedFor(WorkItem item, BatchState state) {
    return item.attempts() == state.recordedClaims() + 1;
  }

  /**
   * A batch due (first send or retry) whose cells have newer versions pending, and no request of
   * which can be on the wire (it was never sent, or its last attempt failed): its successors may go
   * — a version is never recalled while a request carries it. The batch ends unsent and its cells
   * are pending again, to be batched with the newest values under a new idempotency key — an outage
   * costs one request per cell after it, not one per superseded version.
   */
  private void supersede(WorkItem item) {
    BatchPayload batch = BatchPayload.fromJson(item.payload());
    db.inTransaction(
        c -> {
          if (queue.complete(c, item.id(), owner)) {
            int cells = Outbox.supersede(c, channel, item.id());
            ledger.append(
                c,
                ledger
                    .entry("batch.superseded")
                    .withCorrelationId(batch.primaryCorrelationId())
                    .withChannel(channel)
                    .withSubject(item.id())
                    .withAttribute("cells", cells)
                    .build());
          }
          return null;
        });
  }

  private void defer(WorkItem item, BatchPayload batch, Duration wait, String gate) {
    Instant at = clock.instant().plus(wait);
    db.inTransaction(
        c -> {
          if (queue.reschedule(c, item.id(), owner, at)) {
            BatchState.deferred(c, item.id());
            ledger.append(
                c,
                ledger
                    .entry("batch.deferred")
                    .withCorrelationId(batch.primaryCorrelationId())
                    .withChannel(channel)
                    .withSubject(item.id())
                    .withAttribute("gate", gate)
                    .withAttribute("delayMillis", wait.toMillis())
                    .build());
          }
          return null;
        });
  }

  private void record(InFlight f, Outcome outcome, Response response) {
    Instant now = clock.instant();
    Duration latency =
        response != null
            ? response.latency()
            : Duration.ofNanos(Math.max(0, clock.nanoTime() - f.startNanos));
    RetryDecider.Decision d = decider.decide(f.state.decider(), outcome, now);
    admission.learn(f.key, f.verdict, outcome, d, latency);
    if (d.kind() == RetryDecider.Kind.REFRESH_AUTH) {
      Authenticator.Authorized a = f.authorized.getNow(null);
      if (a != null) {
        authenticator.rejected(a);
      }
    }
    Map<String, Object> attempt = AttemptEntry.attributes(f, outcome, response, latency, d);
    observe(f, outcome, latency, d);
    String id = f.item.id();
    boolean morePartsToSend = d.kind() == RetryDecider.Kind.ACK && f.partIndex < f.parts - 1;
    boolean[] acknowledged = {false};
    db.inTransaction(
        c -> {
          acknowledged[0] = false;
          boolean owned =
              switch (d.kind()) {
                case ACK ->
                    morePartsToSend
                        ? queue.reschedule(c, id, owner, now)
                        : queue.complete(c, id, owner);
                case RETRY -> queue.reschedule(c, id, owner, now.plus(d.delay().orElseThrow()));
                case REFRESH_AUTH -> queue.reschedule(c, id, owner, now);
                case DEAD_LETTER, RECONCILE -> queue.markDead(c, id, owner);
              };
          if (!owned) {
            return null; // another worker claimed it after our lease expired; it records
          }
          ledger.append(c, entry("attempt", f).withAttributes(attempt).build());
          switch (d.kind()) {
            case ACK -> {
              if (morePartsToSend) {
                BatchState.partDone(c, id, f.state);
                ledger.append(
                    c,
                    entry("batch.part_acknowledged", f)
                        .withAttribute("part", f.partIndex)
                        .withAttribute("parts", f.parts)
                        .build());
                return null;
              }
              int cells = Outbox.acknowledge(c, channel, id);
              LedgerEntry.Builder acked =
                  entry("batch.acknowledged", f).withAttribute("cells", cells);
              if (f.origins.acceptedAtMillis() != null) {
                // change to acknowledgement, from the database's times: what the web UI's overview
                // reads for its latency percentiles, whichever worker delivered
                acked.withAttribute(
                    "changeToAckMillis",
                    Math.max(0, now.toEpochMilli() - f.origins.acceptedAtMillis()));
              }
              ledger.append(c, acked.build());
              acknowledged[0] = true;
            }
            case RETRY, REFRESH_AUTH -> BatchState.save(c, id, d.next());
            case DEAD_LETTER, RECONCILE -> parking.park(c, f, d, outcome, response);
          }
          return null;
        });
    if (acknowledged[0] && metrics != null && f.origins.acceptedAtMillis() != null) {
      metrics.acknowledged(
          channel, Duration.ofMillis(now.toEpochMilli() - f.origins.acceptedAtMillis()));
    }
  }

  /** Counts the attempt and completes its span's attributes. */
  private void observe(InFlight f, Outcome outcome, Duration latency, RetryDecider.Decision d) {
    Object status = outcome.isFailure() ? outcome.failure().name() : outcome.status();
    f.span.setAttribute(EngineTraces.STATUS, String.valueOf(status));
    f.span.setAttribute(EngineTraces.ACTION, d.action().toString());
    if (d.kind() != RetryDecider.Kind.ACK) {
      f.span.setStatus(StatusCode.ERROR, d.action().toString());
    }
    if (metrics != null) {
      metrics.core().attempt(channel, d.action());
      metrics.core().attemptLatency(channel, latency);
      if (d.kind() == RetryDecider.Kind.RETRY) {
        d.delay().ifPresent(delay -> metrics.core().retryDelay(channel, delay));
      }
      metrics.attempt(channel, f.retry);
    }
  }

  /**
   * No token could be had, so nothing reached the channel: a token endpoint that kept failing
   * defers the batch (not an attempt; the circuit is not charged); credentials the endpoint
   * rejected need a person, so the batch is dead-lettered with the reason.
   */
  private void noToken(InFlight f, CredentialsException e) {
    admission.unsent(f.key, f.verdict);
    if (!CredentialsException.CREDENTIALS.equals(e.reason())) {
      defer(f.item, f.batch, TOKEN_RETRY, "token_endpoint");
      return;
    }
    parking.unsent(f.item, f.batch, "credentials: " + e.getMessage());
  }

  private LedgerEntry.Builder entry(String kind, InFlight f) {
    return ledger
        .entry(kind)
        .withCorrelationId(f.batch.primaryCorrelationId())
        .withChannel(channel)
        .withSubject(f.item.id());
  }

  private record Claimed(WorkItem item, BatchState state, boolean superseded) {}

  record InFlight(
      WorkItem item,
      BatchState state,
      BatchPayload batch,
      QuotaKey key,
      Admission.Verdict verdict,
      ChannelAdapter.Part part,
      int partIndex,
      int parts,
      Request request,
      int attempt,
      long startNanos,
      CompletableFuture<Authenticator.Authorized> authorized,
      CompletableFuture<Response> future,
      boolean retry,
      Origins origins,
      Span span,
      CallContext context) {}
}
