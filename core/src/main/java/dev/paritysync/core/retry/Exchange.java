package dev.paritysync.core.retry;

import dev.paritysync.core.auth.AccessToken;
import dev.paritysync.core.http.CallContext;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One attempt of a call: encode, send through the transport, decode the response into an {@link
 * Exchanged}. Adapters implement this; the executor decides what happens next.
 *
 * <p>A future completed exceptionally with a {@link dev.paritysync.core.http.TransportException} is
 * classified by its failure kind; any other exception is a bug in the exchange and dead-letters the
 * call with reason {@code internal_error}.
 */
@FunctionalInterface
public interface Exchange {

  /**
   * @param context correlation id, idempotency key, traceparent and attempt number for this attempt
   * @param token the channel's current OAuth2 token, or null when the channel uses none
   */
  CompletableFuture<Exchanged> send(CallContext context, @Nullable AccessToken token);
}
