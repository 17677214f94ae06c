package dev.paritysync.app.escalation;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One row of {@code escalation_notifications}: what receiver {@code receiver} was told about one
 * condition and what is still to send. Immutable; the {@code with} methods return changed copies.
 *
 * @param key {@code <condition>/<channel>}
 * @param receiver the receiver's name
 * @param condition the condition
 * @param channel the channel
 * @param state {@code firing} or {@code resolved}
 * @param firedId the fired event's id
 * @param resolvedId the resolved event's id, or null while firing
 * @param value the last value measured while firing
 * @param threshold the threshold
 * @param since when the condition began
 * @param firedAt when it was found over its threshold
 * @param resolvedAt when it was found cleared, or null
 * @param delivery {@code pending}, {@code sent} or {@code rejected}: of the state's event
 * @param lastSentAt when the receiver last accepted a post about it, or null
 * @param attempts failed posts since the last accepted one
 * @param nextAttemptAt when to post next, or null when nothing is due
 * @param lastError the last failure, or null
 */
record Notification(
    String key,
    String receiver,
    String condition,
    String channel,
    String state,
    String firedId,
    @Nullable String resolvedId,
    long value,
    long threshold,
    Instant since,
    Instant firedAt,
    @Nullable Instant resolvedAt,
    String delivery,
    @Nullable Instant lastSentAt,
    int attempts,
    @Nullable Instant nextAttemptAt,
    @Nullable String lastError) {
  static final String FIRING = "firing";
  static final String RESOLVED = "resolved";
  static final String PENDING = "pending";
  static final String SENT = "sent";
  static final String REJECTED = "rejected";

  Notification {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(receiver, "receiver");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(firedId, "firedId");
    Objects.requireNonNull(delivery, "delivery");
  }

  /** A new firing of {@code o} for {@code receiver}, due now. */
  static Notification fired(Observation o, String receiver, String id, Instant now) {
    return new Notification(
        o.key(),
        receiver,
        o.condition(),
        o.channel(),
        FIRING,
        id,
        null,
        o.value(),
        o.threshold(),
        o.since(),
        now,
        null,
        PENDING,
        null,
        0,
        now,
        null);
  }

  boolean firing() {
    return state.equals(FIRING);
  }

  /** The id of the event this row sends: the fired one while firing, else the resolved one. */
  String eventId() {
    return firing()
        ? firedId
        : Objects.requireNonNull(resolvedId, () -> "resolved notification " + key + " has no id");
  }

  Notification withValue(long value) {
    return new Notification(
        key,
        receiver,
        condition,
        channel,
        state,
        firedId,
        resolvedId,
        value,
        threshold,
        since,
        firedAt,
        resolvedAt,
        delivery,
        lastSentAt,
        attempts,
        nextAttemptAt,
        lastError);
  }

  /** Cleared at {@code now}: a resolved event {@code id} to send now. */
  Notification resolved(String id, Instant now) {
    return new Notification(
        key,
        receiver,
        condition,
        channel,
        RESOLVED,
        firedId,
        id,
        value,
        threshold,
        since,
        firedAt,
        now,
        PENDING,
        lastSentAt,
        0,
        now,
        null);
  }

  /**
   * Holds again before its resolution was delivered: back to firing, its fired event already
   * delivered; {@code next} is when to post again (an Alertmanager re-send), or null.
   */
  Notification refired(@Nullable Instant next) {
    return new Notification(
        key,
        receiver,
        condition,
        channel,
        FIRING,
        firedId,
        null,
        value,
        threshold,
        since,
        firedAt,
        null,
        SENT,
        lastSentAt,
        0,
        next,
        null);
  }

  /** The receiver accepted the post at {@code now}; {@code next} is the next re-send or null. */
  Notification sent(Instant now, @Nullable Instant next) {
    return new Notification(
        key,
        receiver,
        condition,
        channel,
        state,
        firedId,
        resolvedId,
        value,
        threshold,
        since,
        firedAt,
        resolvedAt,
        SENT,
        now,
        0,
        next,
        null);
  }

  /** The post failed with {@code error}; tried again at {@code next}. */
  Notification failed(String error, Instant next) {
    return new Notification(
        key,
        receiver,
        condition,
        channel,
        state,
        firedId,
        resolvedId,
        value,
        threshold,
        since,
        firedAt,
        resolvedAt,
        delivery,
        lastSentAt,
        attempts + 1,
        next,
        error);
  }

  /** The receiver refused the post for good with {@code error}. */
  Notification rejected(String error) {
    return new Notification(
        key,
        receiver,
        condition,
        channel,
        state,
        firedId,
        resolvedId,
        value,
        threshold,
        since,
        firedAt,
        resolvedAt,
        REJECTED,
        lastSentAt,
        attempts + 1,
        null,
        error);
  }
}
