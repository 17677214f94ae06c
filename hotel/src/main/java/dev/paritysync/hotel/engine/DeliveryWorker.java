package dev.paritysync.hotel.engine;

import dev.paritysync.core.admission.AdmissionGate;
import dev.paritysync.core.admission.Permit;
import dev.paritysync.core.admission.Reason;
import dev.paritysync.core.admission.Verdict;
import dev.paritysync.core.auth.CredentialsException;
import dev.paritysync.core.breaker.Breakers;
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
import dev.paritysync.store.WorkItem;
import dev.paritysync.store.WorkQueue;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Delivers one channel's batches. {@link #runOnce()} claims the batches due now (up to the
 * channel's concurrency, under a lease owned by this worker) and, for each: asks the gates of its
 * {@link Admission}'s core {@link AdmissionGate} — the retry budget (retries only), the circuit, a
 * pause and the property's quota, this process's or the cluster's — and if any says wait, the batch
 * goes back to the queue due after the wait, unsent and not counted as an attempt; otherwise sends
 * it with the batch id as idempotency key, classifies the outcome with the {@link RetryDecider}
 * (its state restored from the database) and records (through {@link Settlement}), in one
 * transaction with the queue change:
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
 * on the wire, is superseded: it ends unsent and its cells travel, newest, in a new batch. So is a
 * batch, due for the first time or again, one of whose cells has a newer version pending in a
 * higher priority lane.
 *
 * <p>With priority lanes ({@link DeliveryWorkerBuilder#withPriority}, on by default) the claim
 * takes the highest lane first, then due order; a batch whose oldest change has waited {@code
 * maxWait} goes before all others, oldest first. Each request sent marks the due or deferred
 * batches of lower lanes as having waited behind its lane ({@code waitedBehind} on their {@code
 * batch.acknowledged}).
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
 * <p>{@code runOnce} waits for the HTTP responses of what it sent and records each as it arrives;
 * the engine's loop ({@link Lane}) keeps the slots full instead ({@link #deliver}), each answer
 * recorded before its slot sends again. Run one call at a time per worker. Several workers (with
 * distinct owners) may serve one channel.
 */
final class DeliveryWorker {
  private static final String ENDPOINT = ChannelAdapter.DEFAULT_ENDPOINT;

  private final Database db;
  private final WorkQueue queue;
  private final Clock clock;
  private final String channel;
  private final ChannelAdapter adapter;
  private final Transport transport;
  private final Admission admission;
  private final Parking parking;
  private final String owner;
  private final Duration lease;
  private final int concurrency;
  private final SplittableRandom random;
  private final Authenticator authenticator;
  private final @Nullable EngineMetrics metrics;
  private final EngineTraces traces;
  private final Settlement settlement;
  private final Lanes lanes;
  private final AtomicLong requests = new AtomicLong();

  DeliveryWorker(DeliveryWorkerBuilder b) {
    // build() checked the required settings in its order; these name the same ones.
    this.db = Objects.requireNonNull(b.db, "database");
    this.queue = Objects.requireNonNull(b.queue, "workQueue");
    Ledger ledger = Objects.requireNonNull(b.ledger, "ledger");
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.channel = Objects.requireNonNull(b.channel, "channel");
    this.adapter = Objects.requireNonNull(b.adapter, "adapter");
    this.transport = Objects.requireNonNull(b.transport, "transport");
    RetryDecider decider = Objects.requireNonNull(b.decider, "decider");
    this.admission = b.admission != null ? b.admission : localAdmission(b, decider);
    this.owner = Objects.requireNonNull(b.owner, "owner");
    this.parking =
        new Parking(
            db, queue, ledger, Objects.requireNonNull(b.queues, "queues"), channel, owner, adapter);
    this.lease = b.lease;
    this.concurrency = b.concurrency > 0 ? b.concurrency : decider.policy().concurrency();
    this.random = new SplittableRandom(b.seed);
    this.authenticator = b.authenticator;
    this.metrics = b.metrics;
    this.traces = new EngineTraces(b.otel, clock);
    this.lanes = new Lanes(b.priority);
    this.settlement =
        new Settlement(
            db,
            queue,
            ledger,
            clock,
            channel,
            owner,
            decider,
            admission,
            authenticator,
            parking,
            metrics,
            lanes);
  }

  /** This process's gates, when the builder was given none: see {@link #builder()}. */
  private Admission localAdmission(DeliveryWorkerBuilder b, RetryDecider decider) {
    Breakers breakers = Objects.requireNonNull(b.breakers, "breakers");
    return Admission.local(
        channel,
        clock,
        breakers.get(channel, ENDPOINT, decider.policy().breaker()),
        Objects.requireNonNull(b.quotas, "quotas"),
        decider);
  }

  /** Starts a builder; every {@code with} call except those marked optional is required. */
  static DeliveryWorkerBuilder builder() {
    return new DeliveryWorkerBuilder();
  }

  /** How many requests this worker has sent to the channel since it was built. */
  long requestsSent() {
    return requests.get();
  }

  /** The channel this worker delivers to. */
  String channel() {
    return channel;
  }

  /** How many requests this worker keeps on the wire at most. */
  int concurrency() {
    return concurrency;
  }

  /** This worker's lease owner id. */
  String owner() {
    return owner;
  }

  /**
   * Claims the batches due now (up to the channel's concurrency) and delivers them, recording each
   * answer as it arrives; returns how many were sent (deferred ones are not counted).
   */
  int runOnce() {
    return deliver(concurrency, () -> false);
  }

  /**
   * Delivers like {@link #runOnce()}, but keeps the channel's {@code concurrency} slots full: each
   * answer is recorded — its announced waits learned by the gates — before its slot claims the next
   * due batch, while the other slots' requests are on the wire. Stops claiming when nothing due is
   * left, when a claim sends nothing (every batch deferred or superseded), after {@code maxSends}
   * requests, or when {@code mayContinue} says no (a hold for verify before resume); returns when
   * every request it sent has been recorded.
   *
   * <p>Why by hand: a claim, a send and a record are three steps on the database and the network
   * whose order is the invariant (an answer is recorded before its slot is reused, so a {@code
   * Remaining: 0} is learned before the next request of its key); an executor's bounded queue would
   * hold claimed batches past their lease and hide that order.
   */
  int deliver(int maxSends, BooleanSupplier mayContinue) {
    BlockingQueue<InFlight> answered = new LinkedBlockingQueue<>();
    int inFlight = 0;
    int started = 0;
    int sent = 0;
    boolean claiming = true;
    boolean interrupted = false;
    while (true) {
      if (claiming && inFlight < concurrency) {
        List<InFlight> launched = claimAndSend(concurrency - inFlight);
        for (InFlight f : launched) {
          f.future.whenComplete((r, e) -> answered.add(f));
        }
        inFlight += launched.size();
        started += launched.size();
        claiming = !launched.isEmpty() && started < maxSends && mayContinue.getAsBoolean();
      }
      if (inFlight == 0) {
        break;
      }
      InFlight f;
      try {
        f = answered.take();
      } catch (InterruptedException e) {
        interrupted = true; // every request sent is recorded before returning, as join() would
        continue;
      }
      inFlight--;
      sent += settle(f);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return sent;
  }

  /** Claims up to {@code slots} due batches and sends those the gates admit now. */
  private List<InFlight> claimAndSend(int slots) {
    List<Claimed> claimed =
        db.inTransaction(
            c -> {
              List<Claimed> out = new ArrayList<>();
              String name = Batcher.queueName(channel);
              List<WorkItem> items =
                  lanes.on()
                      ? queue.claim(
                          c,
                          name,
                          lanes.pick(c, db.dialect(), name, clock.millis(), slots),
                          owner,
                          lease)
                      : queue.claim(c, name, owner, slots, lease);
              for (WorkItem item : items) {
                BatchState state = BatchState.load(c, item.id());
                Lanes.State lane = lanes.on() ? Lanes.State.load(c, item.id()) : Lanes.State.NONE;
                boolean accounted = accountedFor(item, state);
                // Superseded: a retry whose cells have newer versions, or a batch whose cells
                // have a newer version in a higher lane (a close after a rate): it gives way, and
                // the cells go again, newest, in that lane.
                boolean superseded =
                    accounted
                        && ((state.decider().retries() > 0
                                && Outbox.superseded(c, channel, item.id()) > 0)
                            || (lane.lane() != null
                                && lanes.promoted(c, channel, item.id(), lane.lane())));
                out.add(new Claimed(item, state, lane, superseded));
              }
              return out;
            });
    List<InFlight> sent = new ArrayList<>();
    for (Claimed cl : claimed) {
      if (cl.superseded) {
        settlement.supersede(cl.item);
        continue;
      }
      InFlight f = trySend(cl);
      if (f != null) {
        sent.add(f);
      }
    }
    return sent;
  }

  /** Records the answer of {@code f} (already complete); returns 1 when a request was sent. */
  private int settle(InFlight f) {
    try {
      @Nullable Response response = null;
      Outcome outcome;
      try {
        response = f.future.join();
        outcome = adapter.decode(response);
      } catch (CompletionException e) {
        if (e.getCause() instanceof CredentialsException ce) {
          f.span.setStatus(StatusCode.ERROR, "no token: " + ce.reason());
          settlement.noToken(f, ce);
          return 0;
        }
        outcome = Transport.outcomeOf(e);
      }
      requests.incrementAndGet();
      settlement.record(f, outcome, response);
      return 1;
    } finally {
      traces.end(f.span);
    }
  }

  /**
   * Runs {@link #runOnce()} every {@code interval} on {@code scheduler} until the returned handle
   * is cancelled. A failing run is retried at the next tick.
   */
  Scheduler.Cancellable loop(Scheduler scheduler, Duration interval) {
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(interval, "interval");
    return WorkerLoop.start(scheduler, interval, this::runOnce);
  }

  /** Sends the next part of a claimed batch when the admission gate admits it, else defers it. */
  private @Nullable InFlight trySend(Claimed cl) {
    WorkItem item = cl.item;
    BatchPayload batch = BatchPayload.fromJson(item.payload());
    List<ChannelAdapter.Part> parts = encode(item, batch);
    if (parts == null) {
      return null;
    }
    // The parts already acknowledged are not sent again. Should the encoding have changed since
    // (a new size cap between runs), the last part is the one resent: it is idempotent, and the
    // batch is acknowledged only by the channel's answer to a request.
    int index = Math.min(cl.state.partsDone(), parts.size() - 1);
    QuotaKey key = new QuotaKey(channel, batch.property(), parts.get(index).endpoint());
    boolean retry = cl.state.decider().retries() > 0;
    Verdict verdict =
        admission.gate().admit(key, retry ? AdmissionGate.Ask.RETRY : AdmissionGate.Ask.FIRST);
    if (!verdict.admitted()) {
      Reason reason = Objects.requireNonNull(verdict.reason());
      if (metrics != null && reason == Reason.BUDGET) {
        metrics.core().budgetExhausted(channel);
      } else if (metrics != null && (reason == Reason.QUOTA || reason == Reason.PAUSE)) {
        metrics.core().quotaWait(channel, verdict.delay());
      }
      settlement.defer(item, batch, verdict.delay(), reason.gate());
      return null;
    }
    return send(cl, batch, parts, index, verdict.permit(), retry);
  }

  /**
   * The batch's requests, or null when the channel's configuration cannot express these cells (a
   * code or currency it lacks): no retry can help, and the batch must not fail every tick, so a
   * person gets it.
   */
  private @Nullable List<ChannelAdapter.Part> encode(WorkItem item, BatchPayload batch) {
    List<ChannelAdapter.Part> parts;
    try {
      parts = adapter.encode(item.id(), batch.property(), batch.ranges());
    } catch (IllegalArgumentException e) {
      parking.unsent(
          item, batch, "configuration: the adapter cannot encode this batch: " + e.getMessage());
      return null;
    }
    if (parts.isEmpty()) {
      throw new IllegalStateException("adapter encoded batch " + item.id() + " into no request");
    }
    return parts;
  }

  /**
   * Sends part {@code index} of an admitted batch, credentials first; returns what is on the wire.
   */
  private InFlight send(
      Claimed cl,
      BatchPayload batch,
      List<ChannelAdapter.Part> parts,
      int index,
      Permit permit,
      boolean retry) {
    WorkItem item = cl.item;
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
    ChannelAdapter.Part part = parts.get(index);
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
        cl.lane,
        batch,
        permit,
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

  private record Claimed(WorkItem item, BatchState state, Lanes.State lane, boolean superseded) {}

  record InFlight(
      WorkItem item,
      BatchState state,
      Lanes.State lane,
      BatchPayload batch,
      Permit permit,
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
      CallContext context) {

    /** The quota key the request took its token from. */
    QuotaKey key() {
      return permit.key();
    }
  }
}
