package dev.paritysync.sim;

import dev.paritysync.core.classify.FieldError;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.jspecify.annotations.Nullable;

/**
 * Reads one OpenTravel notification ({@code OTA_HotelAvailNotifRQ} or {@code
 * OTA_HotelRateAmountNotifRQ}) with StAX into updates, one per record (consecutive messages with
 * the same {@code StatusApplicationControl}); see {@link OtaCodec}. One instance per body; not
 * thread-safe.
 */
final class OtaRequestReader {
  private static final String NAMESPACE = OtaCodec.NAMESPACE;

  private final String requestRoot;
  private final String messages;
  private boolean hotelSeen;

  OtaRequestReader(String requestRoot, String messages) {
    this.requestRoot = requestRoot;
    this.messages = messages;
  }

  /** A StAX reader over {@code body} with DTDs and external entities off. */
  static XMLStreamReader reader(byte[] body) throws XMLStreamException {
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    return f.createXMLStreamReader(new ByteArrayInputStream(body));
  }

  void read(XMLStreamReader r, List<AriUpdate> out, List<FieldError> errors)
      throws XMLStreamException {
    boolean rootSeen = false;
    List<Message> records = new ArrayList<>();
    Message m = null;
    while (r.hasNext()) {
      int event = r.next();
      if (event == XMLStreamConstants.END_ELEMENT) {
        String name = r.getLocalName();
        if (m != null && (name.equals("AvailStatusMessage") || name.equals("RateAmountMessage"))) {
          if (records.isEmpty() || records.get(records.size() - 1) != m) {
            records.add(m);
          }
          m = null;
        }
        continue;
      }
      if (event != XMLStreamConstants.START_ELEMENT) {
        continue;
      }
      String name = r.getLocalName();
      if (!rootSeen) {
        rootSeen = true;
        if (!NAMESPACE.equals(r.getNamespaceURI()) || !name.equals(requestRoot)) {
          errors.add(
              new FieldError(
                  "", "expected " + requestRoot + " in " + NAMESPACE + ", got " + r.getName()));
          return;
        }
        if (r.getAttributeValue(null, "Version") == null) {
          errors.add(new FieldError("/Version", "required"));
        }
        continue;
      }
      m = element(r, name, m, records, errors);
    }
    for (Message record : records) {
      out.add(record.update(errors));
    }
    if (rootSeen && !hotelSeen) {
      errors.add(new FieldError("", requestRoot + " needs " + messages));
    }
  }

  /** An element inside the root: returns the message (record) now open, or null. */
  private @Nullable Message element(
      XMLStreamReader r,
      String name,
      @Nullable Message m,
      List<Message> records,
      List<FieldError> errors) {
    switch (name) {
      case "AvailStatusMessages", "RateAmountMessages" -> {
        hotelSeen = name.equals(messages);
        String hotel = r.getAttributeValue(null, "HotelCode");
        if (hotel == null || hotel.isBlank()) {
          errors.add(new FieldError("/HotelCode", "required"));
        }
      }
      case "AvailStatusMessage", "RateAmountMessage" -> {
        m = new Message(records.size());
        if (name.equals("AvailStatusMessage")) {
          m.availability = m.integer(r, "BookingLimit", "availability", errors);
        }
      }
      case "StatusApplicationControl" -> {
        if (m != null) {
          m.room = r.getAttributeValue(null, "InvTypeCode");
          m.ratePlan = r.getAttributeValue(null, "RatePlanCode");
          m.from = m.date(r, "Start", "from", errors);
          m.to = m.date(r, "End", "to", errors);
          Message last = records.isEmpty() ? null : records.get(records.size() - 1);
          if (last != null && last.sameControl(m)) {
            last.availability = m.availability != null ? m.availability : last.availability;
            m = last; // one record: the messages of one range share their control
          }
        }
      }
      case "LengthOfStay" -> {
        if (m != null) {
          String type = r.getAttributeValue(null, "MinMaxMessageType");
          Integer time = m.integer(r, "Time", type == null ? "minLos" : los(type), errors);
          if ("SetMinLOS".equals(type)) {
            m.minLos = time;
          } else if ("SetMaxLOS".equals(type)) {
            m.maxLos = time;
          } else {
            errors.add(
                new FieldError(
                    OtaCodec.record(m.index, "minLos"),
                    "MinMaxMessageType must be SetMinLOS or SetMaxLOS, was " + type));
          }
        }
      }
      case "RestrictionStatus" -> {
        if (m != null) {
          restriction(r, m, errors);
        }
      }
      case "BaseByGuestAmt" -> {
        if (m != null && m.rate == null) {
          m.rate = m.decimal(r, "AmountAfterTax", "rate", errors);
          m.currency = r.getAttributeValue(null, "CurrencyCode");
        }
      }
      default -> {}
    }
    return m;
  }

  private static String los(String type) {
    return "SetMaxLOS".equals(type) ? "maxLos" : "minLos";
  }

  private void restriction(XMLStreamReader r, Message m, List<FieldError> errors) {
    String restriction = r.getAttributeValue(null, "Restriction");
    String status = r.getAttributeValue(null, "Status");
    Boolean closed =
        "Close".equals(status) ? Boolean.TRUE : "Open".equals(status) ? Boolean.FALSE : null;
    String field =
        switch (restriction == null ? "" : restriction) {
          case "Master" -> "closed";
          case "Arrival" -> "closedToArrival";
          case "Departure" -> "closedToDeparture";
          default -> null;
        };
    if (field == null) {
      errors.add(
          new FieldError(
              OtaCodec.record(m.index, "closed"),
              "Restriction must be Master, Arrival or Departure, was " + restriction));
      return;
    }
    if (closed == null) {
      errors.add(
          new FieldError(
              OtaCodec.record(m.index, field), "Status must be Open or Close, was " + status));
      return;
    }
    switch (field) {
      case "closed" -> m.closed = closed;
      case "closedToArrival" -> m.closedToArrival = closed;
      default -> m.closedToDeparture = closed;
    }
  }

  /** One message being read. */
  private final class Message {
    final int index;
    @Nullable String room;
    @Nullable String ratePlan;
    @Nullable LocalDate from;
    @Nullable LocalDate to;
    @Nullable BigDecimal rate;
    @Nullable String currency;
    @Nullable Integer availability;
    @Nullable Integer minLos;
    @Nullable Integer maxLos;
    @Nullable Boolean closed;
    @Nullable Boolean closedToArrival;
    @Nullable Boolean closedToDeparture;

    Message(int index) {
      this.index = index;
    }

    boolean sameControl(Message o) {
      return room != null
          && from != null
          && to != null
          && room.equals(o.room)
          && Objects.equals(ratePlan, o.ratePlan)
          && from.equals(o.from)
          && to.equals(o.to);
    }

    AriUpdate update(List<FieldError> errors) {
      if (from == null && to == null && room == null) {
        errors.add(
            new FieldError(OtaCodec.record(index, ""), "StatusApplicationControl is required"));
      }
      return new AriUpdate(
          room,
          ratePlan,
          from,
          to,
          rate,
          currency,
          availability,
          minLos,
          maxLos,
          closed,
          closedToArrival,
          closedToDeparture);
    }

    @Nullable Integer integer(
        XMLStreamReader r, String attribute, String field, List<FieldError> errors) {
      String v = r.getAttributeValue(null, attribute);
      if (v == null) {
        return null;
      }
      try {
        return Integer.valueOf(v.trim());
      } catch (NumberFormatException e) {
        errors.add(new FieldError(OtaCodec.record(index, field), "'" + v + "' is not an integer"));
        return null;
      }
    }

    @Nullable BigDecimal decimal(
        XMLStreamReader r, String attribute, String field, List<FieldError> errors) {
      String v = r.getAttributeValue(null, attribute);
      if (v == null) {
        errors.add(new FieldError(OtaCodec.record(index, field), "required"));
        return null;
      }
      try {
        return new BigDecimal(v.trim());
      } catch (NumberFormatException e) {
        errors.add(new FieldError(OtaCodec.record(index, field), "'" + v + "' is not a decimal"));
        return null;
      }
    }

    @Nullable LocalDate date(
        XMLStreamReader r, String attribute, String field, List<FieldError> errors) {
      String v = r.getAttributeValue(null, attribute);
      if (v == null) {
        return null; // the rules report a missing date
      }
      try {
        return LocalDate.parse(v.trim());
      } catch (DateTimeParseException e) {
        errors.add(
            new FieldError(
                OtaCodec.record(index, field), "'" + v + "' is not a date (yyyy-MM-dd)"));
        return null;
      }
    }
  }
}
