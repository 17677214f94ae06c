package dev.paritysync.hotel.poll;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paritysync.core.auth.AccessToken;
import dev.paritysync.core.auth.TokenStore;
import dev.paritysync.core.classify.Action;
import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.retry.Call;
import dev.paritysync.core.retry.CallResult;
import dev.paritysync.core.retry.ChannelPolicy;
import dev.paritysync.core.retry.Exchanged;
import dev.paritysync.core.retry.ResilientExecutor;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.hotel.channel.Credentials;
import dev.paritysync.hotel.engine.Authenticator;
import dev.paritysync.store.Ids;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One channel's reservation feed as the poller calls it: {@code GET /v1/reservations} and {@code
 * POST /v1/reservations/ack}, each through the core's {@link ResilientExecutor} (its admission
 * gate: quota endpoint {@value ReservationPoller#ENDPOINT} in scope {@value
 * ReservationPoller#QUOTA_SCOPE}, circuit, retries with backoff per the channel's policy, a 304
 * acknowledged), with the channel's credentials. Thread-safe.
 */
final class FeedClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock;
  private final Transport transport;
  private final String channel;
  private final URI baseUri;
  private final @Nullable Credentials credentials;
  private final ResilientExecutor executor;

  FeedClient(
      Scheduler scheduler,
      Transport transport,
      String channel,
      URI baseUri,
      ChannelPolicy policy,
      @Nullable Credentials credentials,
      @Nullable TokenStore tokenStore,
      long seed) {
    this.clock = scheduler.clock();
    this.transport = transport;
    this.channel = channel;
    this.baseUri = baseUri;
    this.credentials = credentials;
    ChannelPolicy feed =
        policy.toBuilder()
            .withClassification(
                policy.classification().toBuilder().onStatus(304, Action.ACK).build())
            .build();
    ResilientExecutor.Builder eb =
        ResilientExecutor.builder(scheduler)
            .withPolicy(feed)
            .withRandom(new SplittableRandom(seed));
    if (credentials instanceof Credentials.OAuth2 o) {
      // the executor fetches, caches and (on a 401) refreshes the token; exchange() sends it
      eb.withAuth(
          channel, Authenticator.oauth2Client(o, channel, transport, scheduler, tokenStore));
    }
    this.executor = eb.build();
  }

  /** Asks for the page after {@code cursor}; conditionally on {@code etag} when one is given. */
  CompletableFuture<CallResult> page(long cursor, @Nullable String etag) {
    Request request = Request.get(baseUri.resolve("/v1/reservations?since=" + cursor));
    if (etag != null) {
      request = request.withHeader("If-None-Match", etag);
    }
    return submit(request, null);
  }

  /** Acknowledges every revision of {@code page}, with an idempotency key of its own. */
  CompletableFuture<CallResult> acknowledge(List<Reservation> page) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode received = body.putArray("received");
    for (Reservation r : page) {
      received.addObject().put("id", r.id()).put("revision", r.revision());
    }
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write an acknowledgement", e);
    }
    return submit(
        Request.post(baseUri.resolve("/v1/reservations/ack"), "application/json", bytes),
        Ids.next(clock));
  }

  private CompletableFuture<CallResult> submit(Request request, @Nullable String idempotencyKey) {
    Call call =
        new Call(
            channel,
            ReservationPoller.QUOTA_SCOPE,
            ReservationPoller.ENDPOINT,
            idempotencyKey,
            Ids.next(clock),
            (context, token) ->
                transport
                    .send(authorized(request, token), context)
                    .thenApply(r -> new Exchanged(Transport.outcomeOf(r), r)));
    return executor.submit(call);
  }

  /** {@code request} with the channel's credentials: its API key, or the OAuth2 token. */
  private Request authorized(Request request, @Nullable AccessToken token) {
    if (credentials instanceof Credentials.ApiKey key) {
      return request.withHeader(key.header(), key.value().reveal());
    }
    if (token != null) {
      return request.withHeader("Authorization", token.authorizationHeader());
    }
    return request;
  }
}
