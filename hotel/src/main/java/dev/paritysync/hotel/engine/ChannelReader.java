package dev.paritysync.hotel.engine;

import dev.paritysync.core.admission.AdmissionGate;
import dev.paritysync.core.admission.Circuit;
import dev.paritysync.core.admission.Permit;
import dev.paritysync.core.admission.Verdict;
import dev.paritysync.core.breaker.Breaker;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.headers.ResetMode;
import dev.paritysync.core.headers.RetryAfter;
import dev.paritysync.core.http.CallContext;
import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Response;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.quota.QuotaGate;
import dev.paritysync.core.quota.QuotaKey;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.hotel.adapter.ChannelAdapter;
import dev.paritysync.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reads what one channel holds for a property and date range (a {@linkplain ChannelAdapter.Snapshot
 * snapshot}), through the same quotas, circuit and credentials as the channel's pushes, at a lower
 * priority than pushes.
 *
 * <p>The priority rule: a read request takes a token only from the channel's {@value
 * ChannelAdapter#READ_ENDPOINT} quota endpoint (never from an endpoint pushes use), waits while the
 * channel's circuit is open, and waits while the property has cells pending in the channel's outbox
 * (a push is about to be batched) — for at most {@link #MAX_YIELD}, after which it reads anyway
 * (the pending cells then classify as queued, not drift) — except while the channel's pushes are
 * held for a verification before resume, when nothing would send them. Waits are scheduled on the
 * engine's {@link Scheduler}, never slept. A request that fails transiently (429, 5xx, no answer)
 * is sent again, up to {@value #MAX_ATTEMPTS} times with doubling waits. A wait the channel
 * announces on an answer ({@code Retry-After}, or a rate limit's {@code Remaining: 0} with a reset)
 * pauses the read quota key, for every reader sharing the quota. Thread-safe.
 */
public final class ChannelReader {
  /** How long a read yields to pending pushes of its property before it reads anyway. */
  public static final Duration MAX_YIELD = Duration.ofMinutes(1);

  private static final Duration POLL = Duration.ofSeconds(1);

  /** How many times a snapshot request is sent before a transient failure fails the read. */
  static final int MAX_ATTEMPTS = 5;

  private final String channel;
  private final ChannelAdapter.Reader reader;
  private final Database db;
  private final Clock clock;
  private final Scheduler scheduler;
  private final Transport transport;
  private final AdmissionGate gate;
  private final Authenticator authenticator;
  private final java.util.function.BooleanSupplier yieldToPushes;

  ChannelReader(
      String channel,
      ChannelAdapter.Reader reader,
      Database db,
      Clock clock,
      Scheduler scheduler,
      Transport transport,
      QuotaGate quotas,
      Breaker breaker,
      Authenticator authenticator,
      ResetMode resetMode,
      java.util.function.BooleanSupplier yieldToPushes) {
    this.channel = channel;
    this.reader = reader;
    this.db = db;
    this.clock = clock;
    this.scheduler = scheduler;
    this.transport = transport;
    // Reads watch the pushes' breaker (they wait while it is open) but neither probe nor trip it.
    this.gate =
        AdmissionGate.builder(clock, quotas, resetMode)
            .withCircuit(Circuit.watching(breaker))
            .build();
    this.authenticator = authenticator;
    this.yieldToPushes = yieldToPushes;
  }

  /** The channel this reader reads. */
  public String channel() {
    return channel;
  }

  /**
   * What the channel holds for {@code property} from {@code from} to {@code to}, inclusive. Fails
   * with an {@link IllegalStateException} naming the channel, the request and the status when the
   * channel answers other than 2xx, or with the adapter's {@link IllegalArgumentException} when a
   * body cannot be read.
   */
  public CompletableFuture<ChannelAdapter.Snapshot> read(
      String property, LocalDate from, LocalDate to) {
    Objects.requireNonNull(property, "property");
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("to " + to + " is before from " + from);
    }
    List<Request> requests = reader.requests(property, from, to);
    List<Response> responses = new ArrayList<>();
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    long yieldUntil = clock.millis() + MAX_YIELD.toMillis();
    for (Request request : requests) {
      chain =
          chain
              .thenCompose(x -> fetch(property, request, yieldUntil, 1))
              .thenAccept(responses::add);
    }
    return chain.thenApply(x -> reader.snapshot(property, responses));
  }

  /**
   * Sends {@code request} when the gates allow, again after a transient failure (a 429 or 5xx
   * answer, or no answer) up to {@link #MAX_ATTEMPTS} attempts, waiting 1 s, 2 s, 4 s, … between
   * them on the scheduler; a 4xx other than 429 fails at once.
   */
  private CompletableFuture<Response> fetch(
      String property, Request request, long yieldUntil, int attempt) {
    CompletableFuture<Response> out = new CompletableFuture<>();
    whenAllowed(property, yieldUntil)
        .thenCompose(permit -> send(property, request, permit))
        .whenComplete(
            (r, failure) -> {
              if (failure == null) {
                out.complete(r);
                return;
              }
              Throwable cause =
                  failure instanceof java.util.concurrent.CompletionException
                          && failure.getCause() != null
                      ? failure.getCause()
                      : failure;
              boolean transientFailure =
                  !(cause instanceof ReadRefused refused) || refused.transientStatus();
              if (!transientFailure || attempt >= MAX_ATTEMPTS) {
                out.completeExceptionally(cause);
                return;
              }
              Duration delay = Duration.ofSeconds(1L << Math.min(attempt - 1, 4));
              scheduler.schedule(
                  delay,
                  () ->
                      fetch(property, request, yieldUntil, attempt + 1)
                          .whenComplete(
                              (again, f) -> {
                                if (f == null) {
                                  out.complete(again);
                                } else {
                                  out.completeExceptionally(f);
                                }
                              }));
            });
    return out;
  }

  /** A snapshot request the channel answered with a status other than 2xx. */
  private static final class ReadRefused extends IllegalStateException {
    private final int status;

    ReadRefused(String message, int status) {
      super(message);
      this.status = status;
    }

    boolean transientStatus() {
      return status == 429 || status >= 500;
    }
  }

  /** Completes with a permit of the read quota key once the reader's admission gate admits. */
  private CompletableFuture<Permit> whenAllowed(String property, long yieldUntil) {
    CompletableFuture<Permit> done = new CompletableFuture<>();
    attempt(property, yieldUntil, done);
    return done;
  }

  private void attempt(String property, long yieldUntil, CompletableFuture<Permit> done) {
    try {
      Duration wait;
      if (clock.millis() < yieldUntil && yieldToPushes.getAsBoolean() && pending(property) > 0) {
        wait = POLL;
      } else {
        Verdict verdict =
            gate.admit(
                new QuotaKey(channel, property, ChannelAdapter.READ_ENDPOINT),
                AdmissionGate.Ask.FIRST);
        if (verdict.admitted()) {
          done.complete(verdict.permit());
          return;
        }
        wait = verdict.delay();
      }
      scheduler.schedule(wait, () -> attempt(property, yieldUntil, done));
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
    }
  }

  private long pending(String property) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT COUNT(*) FROM ari_outbox WHERE channel = ? AND property = ?"
                      + " AND pending_version IS NOT NULL")) {
            ps.setString(1, channel);
            ps.setString(2, property);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  /**
   * Sends a read that holds {@code permit}: the permit goes back exactly once — with the answer
   * ({@link #learn}), or unsent when the read failed before one came.
   */
  private CompletableFuture<Response> send(String property, Request request, Permit permit) {
    CallContext context = CallContext.newRoot(channel, property);
    CompletableFuture<Authenticator.Authorized> authorized;
    try {
      authorized = authenticator.authorize(request);
    } catch (RuntimeException e) {
      authorized = CompletableFuture.failedFuture(e);
    }
    return authorized
        .thenCompose(
            a ->
                transport
                    .send(a.request(), context)
                    .thenApply(
                        r -> {
                          learn(permit, r);
                          if (r.status() == 401) {
                            authenticator.rejected(a);
                          }
                          if (r.status() < 200 || r.status() > 299) {
                            throw new ReadRefused(
                                "channel "
                                    + channel
                                    + " answered "
                                    + r.status()
                                    + " to the snapshot request "
                                    + request.method()
                                    + " "
                                    + request.uri(),
                                r.status());
                          }
                          return r;
                        }))
        .whenComplete((r, e) -> gate.unsent(permit)); // nothing when the answer was learned
  }

  /**
   * Gives the read's permit back with the answer: the key's quota windows anchor to it, and a wait
   * it announced ({@code Remaining: 0} with a reset; {@code Retry-After} on a 429 or 503) pauses
   * the key, so no read goes out before it ends. Reads do not count in the pushes' circuit.
   */
  private void learn(Permit permit, Response r) {
    Optional<Duration> announced =
        r.status() == 429 || r.status() == 503
            ? RetryAfter.from(r.headers(), clock.instant())
            : Optional.empty();
    gate.learn(permit, Outcome.response(r.status(), r.headers()), false, announced, r.latency());
  }
}
