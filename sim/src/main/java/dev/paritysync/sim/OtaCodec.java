package dev.paritysync.sim;

import dev.paritysync.core.classify.FieldError;
import java.io.ByteArrayOutputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;
import org.jspecify.annotations.Nullable;

/**
 * An OpenTravel 2015A XML dialect: {@code OTA_HotelAvailNotifRQ} (availability as {@code
 * BookingLimit}, restrictions as {@code LengthsOfStay} and {@code RestrictionStatus}) and {@code
 * OTA_HotelRateAmountNotifRQ} (rates as {@code BaseByGuestAmt}), answered with the matching RS.
 *
 * <p>Each {@code AvailStatusMessage} and each {@code RateAmountMessage} is addressed by its {@code
 * StatusApplicationControl} ({@code Start}, {@code End}, {@code InvTypeCode}, {@code
 * RatePlanCode}). Consecutive messages with the same control form one <em>record</em> (one update):
 * the schema allows one {@code RestrictionStatus} per message, so one range closed to arrival and
 * to departure takes two messages. Of several {@code BaseByGuestAmt}s the first is kept: the
 * simulator holds one rate per cell. Unknown elements and attributes are ignored, as OpenTravel
 * receivers do; bad numbers, dates and enumerations are decoding errors. Bodies are read with StAX,
 * never into a DOM, with DTDs and external entities off.
 *
 * <p>Errors: validation and decoding errors are answered inside an HTTP 200 (OpenTravel style), as
 * {@code <Errors><Error Type="3" Code="320" RecordID="2" Tag="AmountAfterTax">…}: {@code RecordID}
 * is the 1-based position of the offending record among the request's records, {@code Tag} the
 * attribute. Codes (OpenTravel list ERR): 321 required field missing (Type 10), 402 invalid room
 * type, 249 invalid rate code, 136/135 invalid start/end date, 61 invalid currency, 320 invalid
 * value (a rate under the floor, too many messages). Conflicts (409), a too-large body (413), auth,
 * quota and faults keep their HTTP status, with an {@code Errors} body of Type 1 (unknown) and the
 * sim's short code as {@code ShortText}, so the client classifies them by status.
 */
final class OtaCodec implements AriCodec {
  static final String NAMESPACE = "http://www.opentravel.org/OTA/2003/05";

  /** The availability notification: request and answer root. */
  static final OtaCodec AVAIL =
      new OtaCodec("OTA_HotelAvailNotifRQ", "OTA_HotelAvailNotifRS", "AvailStatusMessages");

  /** The rate notification: request and answer root. */
  static final OtaCodec RATE =
      new OtaCodec(
          "OTA_HotelRateAmountNotifRQ", "OTA_HotelRateAmountNotifRS", "RateAmountMessages");

  /** The attributes of a request that carry each field: where an error's {@code Tag} points. */
  private static final FieldMap REQUEST =
      FieldMap.of(AriField.ROOM, "InvTypeCode")
          .and(AriField.RATE_PLAN, "RatePlanCode")
          .and(AriField.FROM, "Start")
          .and(AriField.TO, "End")
          .and(AriField.RATE, "AmountAfterTax")
          .and(AriField.CURRENCY, "CurrencyCode")
          .and(AriField.AVAILABILITY, "BookingLimit")
          .and(AriField.MIN_LOS, "SetMinLOS")
          .and(AriField.MAX_LOS, "SetMaxLOS")
          .and(AriField.CLOSED, "Master")
          .and(AriField.CLOSED_TO_ARRIVAL, "Arrival")
          .and(AriField.CLOSED_TO_DEPARTURE, "Departure");

  /** The attributes of a {@code Cell} of the simulator's read-back, in order. */
  private static final FieldMap CELL =
      FieldMap.of(AriField.ROOM, "InvTypeCode")
          .and(AriField.RATE_PLAN, "RatePlanCode")
          .and(AriField.DATE, "Date")
          .and(AriField.RATE, "AmountAfterTax")
          .and(AriField.CURRENCY, "CurrencyCode")
          .and(AriField.AVAILABILITY, "BookingLimit")
          .and(AriField.MIN_LOS, "MinLOS")
          .and(AriField.MAX_LOS, "MaxLOS")
          .and(AriField.CLOSED, "Master")
          .and(AriField.CLOSED_TO_ARRIVAL, "Arrival")
          .and(AriField.CLOSED_TO_DEPARTURE, "Departure");

  private final String requestRoot;
  private final String responseRoot;
  private final String messages;

  private OtaCodec(String requestRoot, String responseRoot, String messages) {
    this.requestRoot = requestRoot;
    this.responseRoot = responseRoot;
    this.messages = messages;
  }

  /** The request root element this dialect reads. */
  String requestRoot() {
    return requestRoot;
  }

  /** What the start of a body says before its messages: who it is for and its key. */
  record Head(@Nullable String root, @Nullable String echoToken, @Nullable String hotelCode) {}

  /**
   * The root element, {@code EchoToken} and {@code HotelCode} of {@code body}, reading only up to
   * the messages element; fields that cannot be read are null, and {@link #decode} reports why.
   */
  static Head head(byte[] body) {
    String root = null;
    String token = null;
    try {
      XMLStreamReader r = OtaRequestReader.reader(body);
      try {
        while (r.hasNext()) {
          if (r.next() != XMLStreamConstants.START_ELEMENT) {
            continue;
          }
          if (root == null) {
            root = r.getLocalName();
            token = r.getAttributeValue(null, "EchoToken");
          } else if (r.getLocalName().endsWith("Messages")) {
            return new Head(root, token, r.getAttributeValue(null, "HotelCode"));
          }
        }
      } finally {
        r.close();
      }
    } catch (XMLStreamException | RuntimeException e) {
      // decode reports the malformed body
    }
    return new Head(root, token, null);
  }

  @Override
  public String contentType() {
    return "application/xml";
  }

  @Override
  public String problemContentType() {
    return "application/xml";
  }

  /** Business errors and undecodable bodies are answered inside a 200, OpenTravel style. */
  @Override
  public int problemStatus(int status) {
    return status == 400 || status == 422 ? 200 : status;
  }

  @Override
  public List<AriUpdate> decode(byte[] body) throws MalformedBody {
    List<FieldError> errors = new ArrayList<>();
    List<AriUpdate> out = new ArrayList<>();
    try {
      XMLStreamReader r = OtaRequestReader.reader(body);
      try {
        new OtaRequestReader(requestRoot, messages).read(r, out, errors);
      } finally {
        r.close();
      }
    } catch (XMLStreamException e) {
      throw new MalformedBody(List.of(new FieldError("", "malformed XML: " + e.getMessage())));
    }
    if (!errors.isEmpty()) {
      throw new MalformedBody(errors);
    }
    return out;
  }

  /** {@code <1-based record position>/<field>}: {@code RecordID} and {@code Tag} of the error. */
  @Override
  public String pointer(int index, String field) {
    return record(index, field);
  }

  static String record(int index, String field) {
    return (index + 1) + (field.isEmpty() ? "" : "/" + field);
  }

  @Override
  public String updatesPointer() {
    return "";
  }

  @Override
  public byte[] applied(int cells) {
    return applied(cells, null);
  }

  /** {@code Success}, echoing the request's {@code EchoToken} (the key) as OpenTravel does. */
  @Override
  public byte[] applied(int cells, @Nullable String key) {
    return write(key, w -> w.writeEmptyElement(NAMESPACE, "Success"));
  }

  /** Not an OpenTravel message: the simulator's own read-back, {@code <Cells>} of {@code Cell}s. */
  @Override
  public byte[] cells(
      String property, LocalDate from, LocalDate to, SortedMap<CellKey, CellValue> cells) {
    return document(
        w -> {
          w.writeStartElement("Cells");
          w.writeAttribute("HotelCode", property);
          w.writeAttribute("Start", from.toString());
          w.writeAttribute("End", to.toString());
          for (Map.Entry<CellKey, CellValue> e : cells.entrySet()) {
            w.writeEmptyElement("Cell");
            CellWriter.xml(w, CELL, e.getKey(), e.getValue());
          }
          w.writeEndElement();
        });
  }

  @Override
  public byte[] problem(int status, String type, String title, List<FieldError> errors) {
    return write(
        w -> {
          w.writeStartElement(NAMESPACE, "Errors");
          if (errors.isEmpty()) {
            error(w, "1", code(status), null, null, type, title);
          }
          for (FieldError e : errors) {
            String path = e.path().startsWith("?") ? e.path().substring(1) : e.path();
            int slash = path.indexOf('/');
            String record = slash < 0 ? path : path.substring(0, slash);
            String field = slash < 0 ? "" : path.substring(slash + 1);
            boolean missing = e.message().startsWith("required");
            error(
                w,
                missing ? "10" : status == 409 || status == 413 ? "1" : "3",
                missing ? "321" : status == 409 || status == 413 ? null : fieldCode(field),
                record.isEmpty() ? null : record,
                field.isEmpty() ? null : REQUEST.pointerName(field),
                type,
                e.message());
          }
          w.writeEndElement();
        });
  }

  private static String fieldCode(String field) {
    return switch (field) {
      case "room" -> "402";
      case "ratePlan" -> "249";
      case "from" -> "136";
      case "to" -> "135";
      case "currency" -> "61";
      default -> "320";
    };
  }

  /** A whole-request error: only validation and decoding carry an OpenTravel code. */
  private static @Nullable String code(int status) {
    return status == 400 || status == 422 ? "320" : null;
  }

  private static void error(
      XMLStreamWriter w,
      String ewt,
      @Nullable String code,
      @Nullable String record,
      @Nullable String tag,
      String shortText,
      String text)
      throws XMLStreamException {
    w.writeStartElement(NAMESPACE, "Error");
    w.writeAttribute("Type", ewt);
    if (code != null) {
      w.writeAttribute("Code", code);
    }
    w.writeAttribute("ShortText", shortText.length() > 64 ? shortText.substring(0, 64) : shortText);
    if (record != null) {
      w.writeAttribute("RecordID", record);
    }
    if (tag != null) {
      w.writeAttribute("Tag", tag);
    }
    w.writeCharacters(text);
    w.writeEndElement();
  }

  /** Auth, quota, faults and key reuse: Type 1 (unknown), no code, so the status decides. */
  @Override
  public byte[] error(String code) {
    return write(
        w -> {
          w.writeStartElement(NAMESPACE, "Errors");
          error(w, "1", null, null, null, code, code.replace('_', ' '));
          w.writeEndElement();
        });
  }

  private interface Body {
    void write(XMLStreamWriter w) throws XMLStreamException;
  }

  /** An RS document: the response root, {@code Version}, then {@code body}. */
  private byte[] write(Body body) {
    return write(null, body);
  }

  /** An RS document echoing {@code echoToken} (when it fits the schema's 1-128 characters). */
  private byte[] write(@Nullable String echoToken, Body body) {
    return document(
        w -> {
          w.setDefaultNamespace(NAMESPACE);
          w.writeStartElement(NAMESPACE, responseRoot);
          w.writeDefaultNamespace(NAMESPACE);
          if (echoToken != null && !echoToken.isEmpty() && echoToken.length() <= 128) {
            w.writeAttribute("EchoToken", echoToken);
          }
          w.writeAttribute("Version", "1.000");
          body.write(w);
          w.writeEndElement();
        });
  }

  private static byte[] document(Body body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      XMLStreamWriter w =
          XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(bytes, "UTF-8");
      w.writeStartDocument("UTF-8", "1.0");
      body.write(w);
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write an OpenTravel answer", e);
    }
    return bytes.toByteArray();
  }
}
