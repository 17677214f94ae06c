package dev.paritysync.hotel.ota;

import dev.paritysync.hotel.batch.CellRange;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One OpenTravel request body that {@link OtaEncoder} produced: one HTTP exchange. Immutable.
 *
 * @param kind which OpenTravel message the body is
 * @param hotelCode the channel's {@code HotelCode}, the same for every message of one encode call
 * @param echoToken the {@code EchoToken}: the batch's idempotency key, fitted to the schema and
 *     made unique per request of the batch (see {@link OtaEncoder})
 * @param body the UTF-8 XML document
 * @param ranges the ranges whose values this request carries, in the order written; a range with
 *     both a rate and restrictions appears in one request of each kind and is delivered once both
 *     are acknowledged
 */
public record OtaRequest(
    Kind kind, String hotelCode, String echoToken, byte[] body, List<CellRange> ranges) {

  /** The OpenTravel message kinds this package writes. */
  public enum Kind {
    /** {@code OTA_HotelAvailNotifRQ}: availability and restrictions. */
    AVAIL_NOTIF("OTA_HotelAvailNotifRQ", "OTA_HotelAvailNotifRS"),
    /** {@code OTA_HotelRateAmountNotifRQ}: rates. */
    RATE_AMOUNT_NOTIF("OTA_HotelRateAmountNotifRQ", "OTA_HotelRateAmountNotifRS");

    private final String request;
    private final String response;

    Kind(String request, String response) {
      this.request = request;
      this.response = response;
    }

    /** The root element of the request. */
    String requestElement() {
      return request;
    }

    /** The root element of the channel's answer. */
    String responseElement() {
      return response;
    }
  }

  public OtaRequest {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(hotelCode, "hotelCode");
    Objects.requireNonNull(echoToken, "echoToken");
    body = Objects.requireNonNull(body, "body").clone();
    ranges = List.copyOf(ranges);
  }

  /** A copy of the body. */
  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The body's size in bytes. */
  public int size() {
    return body.length;
  }

  /** The body as text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OtaRequest r
        && kind == r.kind
        && hotelCode.equals(r.hotelCode)
        && echoToken.equals(r.echoToken)
        && Arrays.equals(body, r.body)
        && ranges.equals(r.ranges);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, hotelCode, echoToken, Arrays.hashCode(body), ranges);
  }

  /** Kind, hotel, token, size and range count; never the body. */
  @Override
  public String toString() {
    return kind.requestElement()
        + "{hotel="
        + hotelCode
        + ", echoToken="
        + echoToken
        + ", "
        + body.length
        + " bytes, "
        + ranges.size()
        + " ranges}";
  }
}
