/**
 * Verifying inbound webhooks: a {@link dev.paritysync.core.webhook.WebhookVerifier} looks at a
 * {@link dev.paritysync.core.webhook.WebhookRequest} (headers, query parameters, the exact raw
 * body) and answers a {@link dev.paritysync.core.webhook.Verification}: verified with the webhook's
 * id, or why not. Three strategies: {@link dev.paritysync.core.webhook.StandardWebhooks} (the
 * Standard Webhooks specification), {@link dev.paritysync.core.webhook.StripeSignature} ({@code
 * t=…,v1=<hex>}) and {@link dev.paritysync.core.webhook.SharedSecret} (a token in a header or query
 * parameter). Every comparison of a secret or signature is constant-time, every verifier accepts
 * several secrets at once (rotation), and time comes from an injected {@link
 * dev.paritysync.core.time.Clock}. Every type is immutable and thread-safe.
 */
@NullMarked
package dev.paritysync.core.webhook;

import org.jspecify.annotations.NullMarked;
