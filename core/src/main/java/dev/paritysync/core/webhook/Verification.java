package dev.paritysync.core.webhook;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The answer of a {@link WebhookVerifier}: verified (with the webhook's id, when the strategy has
 * one), or why not. A failure's {@link #detail()} names the header or parameter at fault and never
 * quotes a secret or a signature, so it can be logged. Immutable.
 *
 * @param failure null when verified, else the kind of failure
 * @param webhookId the id the sender gave the webhook (unique per delivery attempt series, the same
 *     on every retry), or null when verified without one, or not verified
 * @param detail null when verified, else one line saying what is wrong
 */
public record Verification(
    @Nullable Failure failure, @Nullable String webhookId, @Nullable String detail) {

  /** Why a request was not verified. */
  public enum Failure {
    /** A header or query parameter the strategy needs is absent or empty. */
    MISSING,
    /** A header or parameter is present but cannot be read (no timestamp, not a number ...). */
    MALFORMED,
    /** The timestamp is further from now than the tolerance, in either direction. */
    STALE,
    /** No signature or token matches any configured secret. */
    MISMATCH
  }

  public Verification {
    if ((failure == null) != (detail == null)) {
      throw new IllegalArgumentException("a failure needs a detail, and only a failure has one");
    }
    if (failure != null && webhookId != null) {
      throw new IllegalArgumentException("a failed verification has no webhook id");
    }
  }

  /** Verified, with the sender's webhook id (null when the strategy has none). */
  public static Verification verified(@Nullable String webhookId) {
    return new Verification(null, webhookId, null);
  }

  /** Not verified, for {@code failure}, explained by {@code detail}. */
  public static Verification failed(Failure failure, String detail) {
    return new Verification(
        Objects.requireNonNull(failure, "failure"), null, Objects.requireNonNull(detail, "detail"));
  }

  /** Whether the request is authentic (and fresh, where the strategy checks time). */
  public boolean verified() {
    return failure == null;
  }

  @Override
  public String toString() {
    return verified()
        ? "Verification[verified" + (webhookId == null ? "" : ", id=" + webhookId) + "]"
        : "Verification[" + failure + ": " + detail + "]";
  }
}
