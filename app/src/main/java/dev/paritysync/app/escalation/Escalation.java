package dev.paritysync.app.escalation;

import dev.paritysync.core.backoff.Backoff;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ids;
import dev.paritysync.store.cluster.Cluster;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Escalation: every {@code escalation.every} it evaluates the configured conditions and tells each
 * receiver when one starts to hold ({@code fired}) and when it clears ({@code resolved}).
 *
 * <p>What each receiver was told is kept per condition and receiver in table {@code
 * escalation_notifications} (migrations at {@value #MIGRATIONS}), so a condition is announced once
 * per receiver however often it is evaluated, across restarts and when another worker takes the
 * {@value #LEASE} singleton over. Delivery is at least once: a post whose answer is lost (a crash,
 * a lease handed over mid-post) is posted again with the same event id, which a webhook receiver
 * uses to de-duplicate. A condition that clears before its fired event was delivered is forgotten
 * without a resolved event; one that holds again before its resolution was delivered goes back to
 * firing without a second fired event.
 *
 * <p>A post answered with no response, a 5xx, 408 or 429 is retried, on the scheduler, after the
 * core's default backoff ({@link Backoff#builder()}: 1 s doubling to 30 s, jittered; after its
 * retries it stays at the cap) or the receiver's {@code Retry-After} when longer, for as long as
 * the event is current. Any other status (a 3xx or 4xx) is logged with the receiver and status and
 * not retried: the event counts as rejected, and the next event of the condition is posted afresh.
 * An Alertmanager receiver is re-sent a firing alert every {@code repeat}, as Alertmanager expects.
 *
 * <p>Counts posts in {@value #NOTIFICATIONS} (tags receiver, event {@code fired}, {@code resolved}
 * or {@code repeat}, outcome {@code sent}, {@code retry} or {@code rejected}) when given a
 * registry. Runs on the scheduler, one evaluation at a time; {@link #close()} stops it.
 * Thread-safe.
 */
public final class Escalation implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Escalation.class);

  /** The migration location of the state table: add it to the database's migrations. */
  public static final String MIGRATIONS = NotificationStore.MIGRATIONS;

  /** The name of the singleton (and its lease) that runs escalation. */
  public static final String LEASE = "escalation";

  /** Counter of posts; tags receiver, event, outcome. */
  public static final String NOTIFICATIONS = "paritysync.escalation.notifications";

  /** The soonest one evaluation follows another. */
  private static final Duration MIN_DELAY = Duration.ofMillis(100);

  private final EscalationConfig cfg;
  private final Conditions conditions;
  private final NotificationStore store;
  private final Poster poster;
  private final Scheduler scheduler;
  private final Backoff backoff;
  private final RandomGenerator random;
  private final @Nullable MeterRegistry registry;
  private Scheduler.@Nullable Cancellable next;
  private boolean closed;

  Escalation(
      EscalationConfig cfg,
      Conditions conditions,
      Database db,
      Transport transport,
      Scheduler scheduler,
      long seed,
      @Nullable MeterRegistry registry) {
    this.cfg = Objects.requireNonNull(cfg, "cfg");
    this.conditions = Objects.requireNonNull(conditions, "conditions");
    this.store = new NotificationStore(db);
    this.random = new SplittableRandom(seed);
    this.poster = new Poster(transport, new SplittableRandom(seed + 1));
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.backoff = Backoff.builder().build();
    this.registry = registry;
  }

  /**
   * Escalation of {@code cfg} over {@code engine}'s conditions, its state in {@code db} (migrated
   * with {@link #MIGRATIONS}), posting through {@code transport}, started: the first evaluation
   * runs at once on {@code scheduler}. {@code registry} may be null (no meters).
   */
  public static Escalation start(
      EscalationConfig cfg,
      HotelEngine engine,
      Database db,
      @Nullable Cluster cluster,
      Transport transport,
      Scheduler scheduler,
      long seed,
      @Nullable MeterRegistry registry) {
    Escalation e =
        new Escalation(
            cfg,
            new EngineConditions(cfg, db, EngineConditions.circuitsOf(engine, cluster)),
            db,
            transport,
            scheduler,
            seed,
            registry);
    e.schedule(Duration.ZERO);
    return e;
  }

  synchronized void schedule(Duration delay) {
    if (!closed) {
      next = scheduler.schedule(delay, this::round);
    }
  }

  private void round() {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    Duration delay = cfg.every();
    try {
      Instant due = evaluate();
      if (due != null) {
        Duration until = Duration.between(scheduler.clock().instant(), due);
        if (until.compareTo(delay) < 0) {
          delay = until.compareTo(MIN_DELAY) < 0 ? MIN_DELAY : until;
        }
      }
    } catch (RuntimeException e) {
      log.warn("escalation: evaluation failed: {}", e.toString());
    } finally {
      schedule(delay);
    }
  }

  /**
   * One evaluation: brings every row in line with the conditions that hold now, posts what is due,
   * and returns when the next post is due (null when none is).
   */
  @Nullable Instant evaluate() {
    Instant now = scheduler.clock().instant();
    Map<String, Observation> holding = new HashMap<>();
    for (Observation o : conditions.observe(now)) {
      holding.put(o.key(), o);
    }
    Map<String, Notification> rows = new HashMap<>();
    for (Notification n : store.all()) {
      if (cfg.receivers().containsKey(n.receiver())) {
        rows.put(n.receiver() + "\n" + n.key(), n);
      } else {
        store.delete(n.key(), n.receiver()); // a receiver no longer configured
      }
    }
    for (EscalationConfig.Receiver r : cfg.receivers().values()) {
      Set<String> keys = new LinkedHashSet<>(holding.keySet());
      rows.values().stream()
          .filter(n -> n.receiver().equals(r.name()))
          .forEach(n -> keys.add(n.key()));
      for (String key : keys) {
        transition(r, rows.get(r.name() + "\n" + key), holding.get(key), now);
      }
    }
    Instant due = null;
    for (Notification n : store.all()) {
      EscalationConfig.Receiver r = cfg.receivers().get(n.receiver());
      if (r == null || n.nextAttemptAt() == null) {
        continue;
      }
      Notification after = n.nextAttemptAt().isAfter(now) ? n : post(r, n, now);
      if (after.nextAttemptAt() != null && (due == null || after.nextAttemptAt().isBefore(due))) {
        due = after.nextAttemptAt();
      }
    }
    return due;
  }

  private void transition(
      EscalationConfig.Receiver r,
      @Nullable Notification row,
      @Nullable Observation holds,
      Instant now) {
    if (holds != null) {
      if (row == null || (!row.firing() && !row.delivery().equals(Notification.PENDING))) {
        store.save(Notification.fired(holds, r.name(), "evt_" + Ids.next(scheduler.clock()), now));
      } else if (!row.firing()) {
        // Held again before the resolution reached the receiver: it still believes it fires.
        store.save(row.withValue(holds.value()).refired(repeats(r) ? now : null));
      } else if (row.value() != holds.value()) {
        store.save(row.withValue(holds.value()));
      }
    } else if (row != null && row.firing()) {
      if (row.delivery().equals(Notification.SENT)) {
        store.save(row.resolved("evt_" + Ids.next(scheduler.clock()), now));
      } else {
        store.delete(row.key(), row.receiver()); // never told it fired: nothing to resolve
      }
    }
  }

  private Notification post(EscalationConfig.Receiver r, Notification n, Instant now) {
    String event =
        !n.firing() ? "resolved" : n.delivery().equals(Notification.SENT) ? "repeat" : "fired";
    Poster.Result result = poster.post(r, n, now);
    Notification after;
    switch (result.kind()) {
      case SENT -> {
        after = n.sent(now, repeats(r) && n.firing() ? now.plus(r.repeat()) : null);
        if (!event.equals("repeat")) {
          log.info(
              "escalation: {} {} {} posted to receiver {} (event {})",
              n.key(),
              event,
              n.value(),
              r.name(),
              n.eventId());
        }
      }
      case RETRY -> {
        int retry = Math.min(n.attempts() + 1, backoff.maxRetries());
        Duration wait = backoff.delay(retry, null, random);
        if (result.retryAfter().isPresent() && result.retryAfter().get().compareTo(wait) > 0) {
          wait = result.retryAfter().get();
        }
        after = n.failed(result.detail(), now.plus(wait));
        log.warn(
            "escalation: receiver {} did not take {} {} ({}, attempt {}); retrying in {}",
            r.name(),
            event,
            n.key(),
            result.detail(),
            n.attempts() + 1,
            wait);
      }
      default -> {
        after = n.rejected(result.detail());
        log.warn(
            "escalation: receiver {} rejected {} {} ({}); not retried — check its url and"
                + " secret",
            r.name(),
            event,
            n.key(),
            result.detail());
      }
    }
    store.save(after);
    count(r.name(), event, result.kind().name().toLowerCase(java.util.Locale.ROOT));
    return after;
  }

  private static boolean repeats(EscalationConfig.Receiver r) {
    return r.type() == EscalationConfig.Type.ALERTMANAGER;
  }

  private void count(String receiver, String event, String outcome) {
    if (registry != null) {
      Counter.builder(NOTIFICATIONS)
          .description("Escalation posts by receiver, event and outcome")
          .tag("receiver", receiver)
          .tag("event", event)
          .tag("outcome", outcome)
          .register(registry)
          .increment();
    }
  }

  /** The rows of the state table, for tests and tools. */
  List<Notification> notifications() {
    return new ArrayList<>(store.all());
  }

  /** Stops evaluating; a post in progress finishes. */
  @Override
  public synchronized void close() {
    closed = true;
    if (next != null) {
      next.cancel();
    }
  }
}
