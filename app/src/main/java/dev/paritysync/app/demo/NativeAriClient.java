package dev.paritysync.app.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paritysync.core.classify.FieldErrors;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Response;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.retry.Exchange;
import dev.paritysync.core.retry.Exchanged;
import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;

/**
 * Speaks the simulated channel's native JSON ARI dialect: one POST of date-range updates per call.
 * The hotel module's adapters replace this once the ARI engine lands; the demo and the core's
 * end-to-end test use it to drive real HTTP through the resilience core.
 */
public final class NativeAriClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Transport transport;
  private final URI base;

  public NativeAriClient(Transport transport, URI base) {
    this.transport = transport;
    this.base = base;
  }

  /**
   * One range update: a room (and rate plan) over inclusive dates, with a rate and availability.
   */
  public record Update(
      String room,
      String ratePlan,
      LocalDate from,
      LocalDate to,
      BigDecimal rate,
      String currency,
      Integer availability) {}

  /** An exchange that pushes {@code updates} for {@code property} (the body is fixed per call). */
  public Exchange push(String property, List<Update> updates) {
    byte[] body = encode(updates);
    URI uri = base.resolve("/v1/properties/" + property + "/ari");
    return (context, token) -> {
      Request request = Request.post(uri, "application/json", body);
      if (token != null) {
        request = request.withHeader("Authorization", "Bearer " + token.value());
      }
      return transport.send(request, context).thenApply(NativeAriClient::decode);
    };
  }

  static byte[] encode(List<Update> updates) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray("updates");
    for (Update u : updates) {
      ObjectNode n = list.addObject();
      n.put("room", u.room());
      if (u.ratePlan() != null) {
        n.put("ratePlan", u.ratePlan());
      }
      n.put("from", u.from().toString());
      n.put("to", u.to().toString());
      if (u.rate() != null) {
        n.put("rate", u.rate().toPlainString());
        n.put("currency", u.currency());
      }
      if (u.availability() != null) {
        n.put("availability", u.availability());
      }
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot encode ARI updates", e);
    }
  }

  static Exchanged decode(Response response) {
    Outcome outcome = Transport.outcomeOf(response);
    if (response.status() == 400 || response.status() == 422) {
      String type = response.headers().first("Content-Type").orElse("application/json");
      outcome = outcome.withFieldErrors(FieldErrors.parse(response.body(), type));
    }
    return new Exchanged(outcome, response);
  }
}
