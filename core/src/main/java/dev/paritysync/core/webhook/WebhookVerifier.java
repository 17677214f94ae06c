package dev.paritysync.core.webhook;

/**
 * Decides whether an inbound webhook request is authentic. Implementations never throw on bad input
 * — a missing, malformed or forged header is a {@link Verification} that says so — and are
 * thread-safe.
 *
 * @see StandardWebhooks
 * @see StripeSignature
 * @see SharedSecret
 */
@FunctionalInterface
public interface WebhookVerifier {

  /**
   * Verifies {@code request}.
   *
   * @throws NullPointerException only when {@code request} is null
   */
  Verification verify(WebhookRequest request);
}
