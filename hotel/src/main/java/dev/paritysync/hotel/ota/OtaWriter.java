package dev.paritysync.hotel.ota;

import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.hotel.batch.CellRange;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.jspecify.annotations.Nullable;

/**
 * Writes the XML of {@link OtaEncoder}'s requests with StAX, and measures each range's share
 * exactly: a part is written in the same namespace context (the OpenTravel namespace as the
 * default, no prefixes) whether measured or written into a request, so its bytes are the same.
 * Immutable; thread-safe as long as each call uses its own {@link XMLOutputFactory}.
 */
final class OtaWriter {
  private static final String NAMESPACE = OtaEncoder.NAMESPACE;

  private final String availVersion;
  private final String rateVersion;
  private final int occupancy;

  OtaWriter(String availVersion, String rateVersion, int occupancy) {
    this.availVersion = availVersion;
    this.rateVersion = rateVersion;
    this.occupancy = occupancy;
  }

  byte[] write(
      XMLOutputFactory factory,
      OtaRequest.Kind kind,
      String hotelCode,
      String token,
      @Nullable String timeStamp,
      List<Part> parts) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      XMLStreamWriter w = factory.createXMLStreamWriter(bytes, "UTF-8");
      w.writeStartDocument("UTF-8", "1.0");
      w.setDefaultNamespace(NAMESPACE);
      w.writeStartElement(NAMESPACE, kind.requestElement());
      w.writeDefaultNamespace(NAMESPACE);
      w.writeAttribute("EchoToken", token);
      if (timeStamp != null) {
        w.writeAttribute("TimeStamp", timeStamp);
      }
      w.writeAttribute("Version", kind == OtaRequest.Kind.AVAIL_NOTIF ? availVersion : rateVersion);
      w.writeStartElement(
          NAMESPACE,
          kind == OtaRequest.Kind.AVAIL_NOTIF ? "AvailStatusMessages" : "RateAmountMessages");
      w.writeAttribute("HotelCode", hotelCode);
      w.writeCharacters("");
      for (Part p : parts) {
        writePart(w, kind, p);
      }
      w.writeEndElement();
      w.writeEndElement();
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write " + kind.requestElement(), e);
    }
    return bytes.toByteArray();
  }

  /** Each part's exact size, written in the same namespace context as in a request. */
  long[] sizes(XMLOutputFactory factory, OtaRequest.Kind kind, List<Part> parts) {
    Counting count = new Counting();
    long[] sizes = new long[parts.size()];
    try {
      XMLStreamWriter w = factory.createXMLStreamWriter(count, "UTF-8");
      w.setDefaultNamespace(NAMESPACE);
      w.writeStartElement(NAMESPACE, "probe");
      w.writeDefaultNamespace(NAMESPACE);
      w.writeCharacters("");
      w.flush();
      for (int i = 0; i < parts.size(); i++) {
        long before = count.n;
        writePart(w, kind, parts.get(i));
        w.flush();
        sizes[i] = count.n - before;
      }
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot measure " + kind.requestElement(), e);
    }
    return sizes;
  }

  private void writePart(XMLStreamWriter w, OtaRequest.Kind kind, Part p)
      throws XMLStreamException {
    if (kind == OtaRequest.Kind.RATE_AMOUNT_NOTIF) {
      writeRate(w, p);
      return;
    }
    CellValues v = p.range().values();
    if (v.availability() != null) {
      w.writeStartElement(NAMESPACE, "AvailStatusMessage");
      w.writeAttribute("BookingLimit", Integer.toString(v.availability()));
      w.writeAttribute("BookingLimitMessageType", "SetLimit");
      writeControl(w, p);
      w.writeEndElement();
    }
    Restrictions r = v.restrictions();
    if (r == null) {
      return;
    }
    Map<String, Boolean> statuses = new LinkedHashMap<>();
    if (r.closed() != null) {
      statuses.put("Master", r.closed());
    }
    if (r.closedToArrival() != null) {
      statuses.put("Arrival", r.closedToArrival());
    }
    if (r.closedToDeparture() != null) {
      statuses.put("Departure", r.closedToDeparture());
    }
    boolean los = r.minLos() != null || r.maxLos() != null;
    if (!los && statuses.isEmpty()) {
      return;
    }
    Iterator<Map.Entry<String, Boolean>> it = statuses.entrySet().iterator();
    do {
      w.writeStartElement(NAMESPACE, "AvailStatusMessage");
      writeControl(w, p);
      if (los) {
        w.writeStartElement(NAMESPACE, "LengthsOfStay");
        if (r.minLos() != null) {
          writeLos(w, "SetMinLOS", r.minLos());
        }
        if (r.maxLos() != null) {
          writeLos(w, "SetMaxLOS", r.maxLos());
        }
        w.writeEndElement();
        los = false;
      }
      if (it.hasNext()) {
        Map.Entry<String, Boolean> s = it.next();
        w.writeEmptyElement(NAMESPACE, "RestrictionStatus");
        w.writeAttribute("Restriction", s.getKey());
        w.writeAttribute("Status", s.getValue() ? "Close" : "Open");
      }
      w.writeEndElement();
    } while (it.hasNext());
  }

  private static void writeLos(XMLStreamWriter w, String type, int nights)
      throws XMLStreamException {
    w.writeEmptyElement(NAMESPACE, "LengthOfStay");
    w.writeAttribute("MinMaxMessageType", type);
    w.writeAttribute("Time", Integer.toString(nights));
    w.writeAttribute("TimeUnit", "Day");
  }

  private void writeRate(XMLStreamWriter w, Part p) throws XMLStreamException {
    // only ranges with a rate are written as rate messages (OtaEncoder)
    Rate rate = Objects.requireNonNull(p.range().values().rate(), "rate");
    w.writeStartElement(NAMESPACE, "RateAmountMessage");
    writeControl(w, p);
    w.writeStartElement(NAMESPACE, "Rates");
    w.writeStartElement(NAMESPACE, "Rate");
    w.writeStartElement(NAMESPACE, "BaseByGuestAmts");
    w.writeEmptyElement(NAMESPACE, "BaseByGuestAmt");
    w.writeAttribute("AmountAfterTax", amount(rate.amount()));
    w.writeAttribute("CurrencyCode", rate.currency());
    w.writeAttribute("NumberOfGuests", Integer.toString(occupancy));
    w.writeEndElement();
    w.writeEndElement();
    w.writeEndElement();
    w.writeEndElement();
  }

  private static void writeControl(XMLStreamWriter w, Part p) throws XMLStreamException {
    w.writeEmptyElement(NAMESPACE, "StatusApplicationControl");
    w.writeAttribute("Start", p.range().from().toString());
    w.writeAttribute("End", p.range().to().toString());
    w.writeAttribute("InvTypeCode", p.inv());
    if (p.plan() != null) {
      w.writeAttribute("RatePlanCode", p.plan());
    }
  }

  private static String amount(BigDecimal amount) {
    return amount.scale() > 3
        ? amount.stripTrailingZeros().toPlainString()
        : amount.toPlainString();
  }

  /** One range's share of one kind of request, with its channel codes. */
  record Part(CellRange range, String inv, @Nullable String plan) {
    boolean hasAvail() {
      CellValues v = range.values();
      if (v.availability() != null) {
        if (v.availability() < 0) {
          throw new IllegalArgumentException("BookingLimit must be ≥ 0: " + range);
        }
        return true;
      }
      Restrictions r = v.restrictions();
      if (r == null) {
        return false;
      }
      for (Integer los : new Integer[] {r.minLos(), r.maxLos()}) {
        if (los != null && los < 1) {
          throw new IllegalArgumentException("a length of stay must be ≥ 1 night: " + range);
        }
      }
      return !r.isEmpty();
    }
  }

  private static final class Counting extends OutputStream {
    long n;

    @Override
    public void write(int b) {
      n++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      n += len;
    }
  }
}
