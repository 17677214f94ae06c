package dev.paritysync.sim;

import java.util.List;

/**
 * The OpenTravel 2015A XML dialect: one write route per message type, {@value #AVAIL_PATH} ({@code
 * OTA_HotelAvailNotifRQ}) and {@value #RATE_PATH} ({@code OTA_HotelRateAmountNotifRQ}), both
 * counted against the {@code ari} quota. The body names the property ({@code HotelCode}) and
 * carries the idempotency key ({@code EchoToken}, which wins over an {@code Idempotency-Key}
 * header). The answer is the matching RS: {@code Success}, or {@code Errors} inside an HTTP 200 for
 * decoding and validation errors (a rate under the floor is {@code Error Type="3" Code="320"
 * RecordID="<record position>"}); see {@link OtaCodec}.
 */
final class OtaDialect implements Dialect {
  static final OtaDialect INSTANCE = new OtaDialect();

  /** The route of {@code OTA_HotelAvailNotifRQ}. */
  static final String AVAIL_PATH = "/ota/OTA_HotelAvailNotif";

  /** The route of {@code OTA_HotelRateAmountNotifRQ}. */
  static final String RATE_PATH = "/ota/OTA_HotelRateAmountNotif";

  private OtaDialect() {}

  @Override
  public String name() {
    return "ota";
  }

  @Override
  public AriCodec codec() {
    return OtaCodec.AVAIL;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.post(AVAIL_PATH, (r, engine) -> write(r, engine, OtaCodec.AVAIL)),
        Route.post(RATE_PATH, (r, engine) -> write(r, engine, OtaCodec.RATE)));
  }

  private static SimResponse write(SimRequest r, SimEngine engine, OtaCodec message) {
    byte[] body = r.body();
    OtaCodec.Head head = body == null ? null : OtaCodec.head(body);
    String hotel = head == null || head.hotelCode() == null ? "" : head.hotelCode();
    String key =
        head == null || head.echoToken() == null ? r.header("Idempotency-Key") : head.echoToken();
    return engine.postAri(message, "ari", hotel, r.header("Authorization"), key, body);
  }
}
