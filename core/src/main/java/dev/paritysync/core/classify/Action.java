package dev.paritysync.core.classify;

import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What to do with an outcome: exactly one of ack, retry with backoff, retry after the server's
 * delay (else backoff), refresh credentials and retry once, dead-letter with a reason, or send to
 * reconciliation. Immutable.
 *
 * @param kind the action
 * @param reason the dead-letter reason (e.g. {@code validation}); null for other kinds
 */
public record Action(Kind kind, @Nullable String reason) {

  /** The kinds of action. */
  public enum Kind {
    ACK,
    RETRY,
    RETRY_AFTER,
    REFRESH_AUTH,
    DEAD_LETTER,
    RECONCILE
  }

  public static final Action ACK = new Action(Kind.ACK, null);
  public static final Action RETRY = new Action(Kind.RETRY, null);
  public static final Action RETRY_AFTER = new Action(Kind.RETRY_AFTER, null);
  public static final Action REFRESH_AUTH = new Action(Kind.REFRESH_AUTH, null);
  public static final Action RECONCILE = new Action(Kind.RECONCILE, null);

  public Action {
    Objects.requireNonNull(kind, "kind");
    if ((kind == Kind.DEAD_LETTER) != (reason != null && !reason.isBlank())) {
      throw new IllegalArgumentException("a reason goes with DEAD_LETTER, and only with it");
    }
  }

  public static Action deadLetter(String reason) {
    return new Action(Kind.DEAD_LETTER, reason);
  }

  /**
   * Parses {@code ACK}, {@code RETRY}, {@code RETRY_AFTER}, {@code REFRESH_AUTH}, {@code RECONCILE}
   * or {@code DEAD_LETTER(reason)} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static Action parse(String text) {
    String s = text.trim();
    String upper = s.toUpperCase(Locale.ROOT);
    if (upper.startsWith("DEAD_LETTER(") && s.endsWith(")")) {
      String reason = s.substring("DEAD_LETTER(".length(), s.length() - 1).trim();
      if (!reason.isEmpty()) {
        return deadLetter(reason);
      }
    }
    switch (upper) {
      case "ACK":
        return ACK;
      case "RETRY":
        return RETRY;
      case "RETRY_AFTER":
        return RETRY_AFTER;
      case "REFRESH_AUTH":
        return REFRESH_AUTH;
      case "RECONCILE":
        return RECONCILE;
      default:
        throw new IllegalArgumentException(
            "unknown action '"
                + text
                + "': expected ACK, RETRY, RETRY_AFTER, REFRESH_AUTH, RECONCILE or"
                + " DEAD_LETTER(reason)");
    }
  }

  @Override
  public String toString() {
    return kind == Kind.DEAD_LETTER ? "DEAD_LETTER(" + reason + ")" : kind.name();
  }
}
