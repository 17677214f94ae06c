package dev.paritysync.hotel.engine;

import dev.paritysync.core.auth.CredentialsException;
import dev.paritysync.core.classify.FailureKind;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.http.Response;
import dev.paritysync.core.retry.RetryDecider;
import dev.paritysync.core.time.Clock;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.LedgerEntry;
import dev.paritysync.store.WorkItem;
import dev.paritysync.store.WorkQueue;
import io.opentelemetry.api.trace.StatusCode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Settles one channel's claimed batches: what an answer (or its absence) does to the batch, the
 * cells and the ledger, each in one transaction with the queue change — acknowledged, due again
 * after the decided delay, parked for a person ({@link Parking}), deferred by a gate, or superseded
 * by newer versions — and what it teaches the gates ({@link Admission#learn}). {@link
 * DeliveryWorker} claims and sends; this records. Nothing happens to an item another worker owns
 * now (its lease expired and it was claimed again): that worker records. Thread-safe (state lives
 * in the database), though the worker calls it from its one loop thread.
 */
final class Settlement {
  private static final Duration TOKEN_RETRY = Duration.ofSeconds(30);

  private final Database db;
  private final WorkQueue queue;
  private final Ledger ledger;
  private final Clock clock;
  private final String channel;
  private final String owner;
  private final RetryDecider decider;
  private final Admission admission;
  private final Authenticator authenticator;
  private final Parking parking;
  private final @Nullable EngineMetrics metrics;
  private final Lanes lanes;

  Settlement(
      Database db,
      WorkQueue queue,
      Ledger ledger,
      Clock clock,
      String channel,
      String owner,
      RetryDecider decider,
      Admission admission,
      Authenticator authenticator,
      Parking parking,
      @Nullable EngineMetrics metrics,
      Lanes lanes) {
    this.db = db;
    this.queue = queue;
    this.ledger = ledger;
    this.clock = clock;
    this.channel = channel;
    this.owner = owner;
    this.decider = decider;
    this.admission = admission;
    this.authenticator = authenticator;
    this.parking = parking;
    this.metrics = metrics;
    this.lanes = lanes;
  }

  /**
   * A batch due (first send or retry) whose cells have newer versions pending, and no request of
   * which can be on the wire (it was never sent, or its last attempt failed): its successors may go
   * — a version is never recalled while a request carries it. The batch ends unsent and its cells
   * are pending again, to be batched with the newest values under a new idempotency key — an outage
   * costs one request per cell after it, not one per superseded version.
   */
  void supersede(WorkItem item) {
    BatchPayload batch = BatchPayload.fromJson(item.payload());
    db.inTransactionRun(
        c -> {
          if (queue.complete(c, item.id(), owner)) {
            int cells = Outbox.supersede(c, channel, item.id());
            ledger.append(
                c,
                entry("batch.superseded", batch, item.id()).withAttribute("cells", cells).build());
          }
        });
  }

  void defer(WorkItem item, BatchPayload batch, Duration wait, String gate) {
    Instant at = clock.instant().plus(wait);
    db.inTransactionRun(
        c -> {
          if (queue.reschedule(c, item.id(), owner, at)) {
            BatchState.deferred(c, item.id());
            ledger.append(
                c,
                entry("batch.deferred", batch, item.id())
                    .withAttribute("gate", gate)
                    .withAttribute("delayMillis", wait.toMillis())
                    .build());
          }
        });
  }

  void record(DeliveryWorker.InFlight f, Outcome outcome, @Nullable Response response) {
    Instant now = clock.instant();
    Duration latency =
        response != null
            ? response.latency()
            : Duration.ofNanos(Math.max(0, clock.nanoTime() - f.startNanos()));
    RetryDecider.Decision d = decider.decide(f.state().decider(), outcome, now);
    admission
        .gate()
        .learn(
            f.permit(),
            outcome,
            d.healthFailure(),
            d.pausesKey() ? d.serverDelay() : Optional.empty(),
            latency);
    if (d.kind() == RetryDecider.Kind.REFRESH_AUTH) {
      Authenticator.Authorized a = f.authorized().getNow(null);
      if (a != null) {
        authenticator.rejected(a);
      }
    }
    Map<String, Object> attempt = AttemptEntry.attributes(f, outcome, response, latency, d);
    observe(f, outcome, latency, d);
    String id = f.item().id();
    boolean morePartsToSend = d.kind() == RetryDecider.Kind.ACK && f.partIndex() < f.parts() - 1;
    boolean[] acknowledged = {false};
    db.inTransactionRun(
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
            return; // another worker claimed it after our lease expired; it records
          }
          ledger.append(c, entry("attempt", f).withAttributes(attempt).build());
          long sentAt = Math.max(0, now.toEpochMilli() - latency.toMillis());
          wentAhead(c, f, sentAt);
          switch (d.kind()) {
            case ACK -> {
              if (morePartsToSend) {
                BatchState.partDone(c, id, f.state());
                ledger.append(
                    c,
                    entry("batch.part_acknowledged", f)
                        .withAttribute("part", f.partIndex())
                        .withAttribute("parts", f.parts())
                        .build());
                return;
              }
              int cells = Outbox.acknowledge(c, channel, id);
              LedgerEntry.Builder acked =
                  entry("batch.acknowledged", f).withAttribute("cells", cells);
              if (f.origins().acceptedAtMillis() != null) {
                // change to acknowledgement, from the database's times: what the web UI's overview
                // reads for its latency percentiles, whichever worker delivered
                acked.withAttribute(
                    "changeToAckMillis",
                    Math.max(0, now.toEpochMilli() - f.origins().acceptedAtMillis()));
              }
              ledger.append(c, waited(acked, f, sentAt).build());
              acknowledged[0] = true;
            }
            case RETRY, REFRESH_AUTH -> BatchState.save(c, id, d.next());
            case DEAD_LETTER, RECONCILE -> parking.park(c, f, d, outcome, response);
          }
        });
    if (acknowledged[0] && metrics != null && f.origins().acceptedAtMillis() != null) {
      metrics.acknowledged(
          channel, Duration.ofMillis(now.toEpochMilli() - f.origins().acceptedAtMillis()));
    }
  }

  /** The batches of lower lanes that {@code f}'s request, sent at {@code sentAt}, went ahead of. */
  private void wentAhead(java.sql.Connection c, DeliveryWorker.InFlight f, long sentAt)
      throws java.sql.SQLException {
    if (f.lane().lane() != null) {
      lanes.markBehind(c, Batcher.queueName(channel), f.lane().lane(), sentAt);
    }
  }

  /**
   * What {@code f}'s batch waited behind, and how long until its request left at {@code sentAt}.
   */
  private static LedgerEntry.Builder waited(
      LedgerEntry.Builder entry, DeliveryWorker.InFlight f, long sentAt) {
    if (f.lane().behind() != null) {
      entry
          .withAttribute("waitedBehind", f.lane().behind().configName())
          .withAttribute("waitedBehindMillis", Math.max(0, sentAt - f.lane().behindSince()));
    }
    return entry;
  }

  /** Counts the attempt and completes its span's attributes. */
  private void observe(
      DeliveryWorker.InFlight f, Outcome outcome, Duration latency, RetryDecider.Decision d) {
    FailureKind failure = outcome.failure();
    Object status = failure != null ? failure.name() : outcome.status();
    f.span().setAttribute(EngineTraces.STATUS, String.valueOf(status));
    f.span().setAttribute(EngineTraces.ACTION, d.action().toString());
    if (d.kind() != RetryDecider.Kind.ACK) {
      f.span().setStatus(StatusCode.ERROR, d.action().toString());
    }
    if (metrics != null) {
      metrics.core().attempt(channel, d.action());
      metrics.core().attemptLatency(channel, latency);
      if (d.kind() == RetryDecider.Kind.RETRY) {
        d.delay().ifPresent(delay -> metrics.core().retryDelay(channel, delay));
      }
      metrics.attempt(channel, f.retry());
    }
  }

  /**
   * No token could be had, so nothing reached the channel: a token endpoint that kept failing
   * defers the batch (not an attempt; the circuit is not charged); credentials the endpoint
   * rejected need a person, so the batch is dead-lettered with the reason.
   */
  void noToken(DeliveryWorker.InFlight f, CredentialsException e) {
    admission.gate().unsent(f.permit());
    if (!CredentialsException.CREDENTIALS.equals(e.reason())) {
      defer(f.item(), f.batch(), TOKEN_RETRY, "token_endpoint");
      return;
    }
    parking.unsent(f.item(), f.batch(), "credentials: " + e.getMessage());
  }

  private LedgerEntry.Builder entry(String kind, DeliveryWorker.InFlight f) {
    return entry(kind, f.batch(), f.item().id());
  }

  private LedgerEntry.Builder entry(String kind, BatchPayload batch, String batchId) {
    return ledger
        .entry(kind)
        .withCorrelationId(batch.primaryCorrelationId())
        .withChannel(channel)
        .withSubject(batchId);
  }
}
