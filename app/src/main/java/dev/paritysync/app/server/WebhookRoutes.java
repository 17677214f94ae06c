package dev.paritysync.app.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paritysync.core.http.Headers;
import dev.paritysync.core.webhook.Verification;
import dev.paritysync.core.webhook.WebhookRequest;
import dev.paritysync.core.webhook.WebhookVerifier;
import dev.paritysync.hotel.poll.WebhookIntake;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/webhooks/{channel}}: a channel's signed reservation webhook. The exact raw body
 * is verified with the channel's {@link WebhookVerifier} (see {@code docs/webhooks.md}), then
 * handed to the {@link WebhookIntake}, which persists it before anything else and applies it in the
 * same transaction; the answer is written only after that commit.
 *
 * <ul>
 *   <li>{@code 200} {@code {"outcome": "accepted"|"duplicate"|"dead_lettered", ...}}: received — a
 *       duplicate (same webhook id, or same reservation and revision) is acknowledged and not
 *       processed twice; a verified but unreadable payload is dead-lettered with its parse error
 *       and acknowledged, since sending it again cannot fix it;
 *   <li>{@code 401}: not verified (missing or malformed headers, a stale timestamp, a signature
 *       that does not match); logged with the failure and the header names, never the body;
 *   <li>{@code 404}: no channel of that name takes webhooks; {@code 413}: body too large; {@code
 *       500}: the database failed, nothing was kept, the channel should send it again.
 * </ul>
 *
 * <p>Thread-safe: the verifiers and the intake are fixed at construction and safe to share.
 */
public final class WebhookRoutes implements Routes {
  private static final Logger log = LoggerFactory.getLogger(WebhookRoutes.class);

  /** The path, with Javalin's parameter syntax. */
  public static final String PATH = "/v1/webhooks/{channel}";

  private final @Nullable WebhookIntake intake;
  private final Map<String, WebhookVerifier> verifiers;
  private final long maxBodyBytes;

  /**
   * Routes for the channels of {@code verifiers} (channel → its verifier), each also known to
   * {@code intake}; {@code intake} may be null only when {@code verifiers} is empty (every channel
   * then answers 404).
   */
  public WebhookRoutes(
      @Nullable WebhookIntake intake, Map<String, WebhookVerifier> verifiers, long maxBodyBytes) {
    this.verifiers = Map.copyOf(verifiers);
    this.intake = intake;
    for (String channel : this.verifiers.keySet()) {
      if (!Objects.requireNonNull(intake, "intake").channels().contains(channel)) {
        throw new IllegalArgumentException(
            "channel " + channel + " has a webhook verifier but the intake does not know it");
      }
    }
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void addTo(RoutesConfig app) {
    app.post(PATH, this::post);
  }

  private void post(Context ctx) {
    String channel = ctx.pathParam("channel");
    WebhookVerifier verifier = verifiers.get(channel);
    if (verifier == null) {
      throw new ProblemException(
          404,
          "Not found",
          "no channel '" + channel + "' takes webhooks here; configured: " + verifiers.keySet());
    }
    byte[] body = RequestReading.body(ctx, maxBodyBytes);
    WebhookRequest request = new WebhookRequest(headers(ctx), query(ctx), body);
    Verification verification = verifier.verify(request);
    if (!verification.verified()) {
      log.warn(
          "webhook for channel {} not verified: {} ({} bytes, {})",
          channel,
          verification,
          body.length,
          request);
      throw new ProblemException(
          401, "Unauthorized", "the webhook's signature could not be verified");
    }
    // a verifier was found for the channel, so the constructor checked the intake is there
    WebhookIntake.Result result =
        Objects.requireNonNull(intake, "intake").accept(channel, request, verification);
    ObjectNode doc = ApiServer.JSON.createObjectNode();
    doc.put("outcome", result.outcome().name().toLowerCase(Locale.ROOT));
    doc.put("inbox", result.inboxId());
    if (result.reservation() != null) {
      doc.put("reservation", result.reservation());
      doc.put("revision", result.revision());
    }
    if (result.detail() != null) {
      doc.put("detail", result.detail());
    }
    ctx.status(200).json(doc);
  }

  private static Headers headers(Context ctx) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (String name : Collections.list(ctx.req().getHeaderNames())) {
      map.put(name, new ArrayList<>(Collections.list(ctx.req().getHeaders(name))));
    }
    return Headers.of(map);
  }

  private static Map<String, List<String>> query(Context ctx) {
    return new LinkedHashMap<>(ctx.queryParamMap());
  }

  @Override
  public String toString() {
    return "WebhookRoutes[" + verifiers.keySet() + "]";
  }
}
