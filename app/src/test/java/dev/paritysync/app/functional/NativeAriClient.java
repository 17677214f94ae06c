package dev.paritysync.app.functional;

import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.retry.Exchange;
import dev.paritysync.core.retry.Exchanged;
import dev.paritysync.hotel.adapter.NativeJsonAdapter;
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.batch.CellRange;
import dev.paritysync.hotel.channel.ChannelMapping;
import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pushes updates to the simulated channel as in-memory calls of the resilience core, for the core's
 * end-to-end test. Encoding and decoding are the hotel module's {@link NativeJsonAdapter}; the PMS
 * codes are sent as they are (an identity mapping).
 */
public final class NativeAriClient {
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
    Map<String, String> rooms = new LinkedHashMap<>();
    Map<String, String> plans = new LinkedHashMap<>();
    for (Update u : updates) {
      rooms.put(u.room(), u.room());
      if (u.ratePlan() != null) {
        plans.put(u.ratePlan(), u.ratePlan());
      }
    }
    NativeJsonAdapter adapter = new NativeJsonAdapter(base, new ChannelMapping(rooms, plans));
    List<CellRange> ranges =
        updates.stream()
            .map(
                u ->
                    new CellRange(
                        property,
                        u.room(),
                        u.ratePlan(),
                        u.from(),
                        u.to(),
                        new CellValues(
                            u.rate() == null ? null : new Rate(u.rate(), u.currency()),
                            u.availability(),
                            null)))
            .toList();
    Request request = adapter.encode("k", property, ranges).get(0).request();
    return (context, token) -> {
      Request r =
          token == null ? request : request.withHeader("Authorization", "Bearer " + token.value());
      return transport
          .send(r, context)
          .thenApply(response -> new Exchanged(adapter.decode(response), response));
    };
  }
}
