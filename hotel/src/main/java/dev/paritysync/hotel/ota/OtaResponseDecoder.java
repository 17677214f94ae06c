package dev.paritysync.hotel.ota;

import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.http.Headers;
import dev.paritysync.core.http.Response;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.jspecify.annotations.Nullable;

/**
 * Reads an OpenTravel acknowledgement ({@code OTA_HotelAvailNotifRS}, {@code
 * OTA_HotelRateAmountNotifRS}, bare or inside a SOAP envelope) or a SOAP fault into a core {@link
 * Outcome} for {@link OtaErrorCodes#table()}.
 *
 * <ul>
 *   <li>{@code Success} (with or without {@code Warnings}): the plain status; warnings do not stop
 *       an acknowledgement.
 *   <li>{@code Errors}: the key of the first {@code Error} that has a {@code Type} or {@code Code}
 *       (see {@link OtaErrorCodes}) as the error code — {@value #UNTYPED} when none has, which no
 *       default row names, so a 2xx that lists errors is never acknowledged — and one {@link
 *       FieldError} per {@code Error}: the path is its {@code RecordID}, else its {@code Tag}, else
 *       empty; the message names its type, code, {@code ShortText} and text.
 *   <li>A SOAP 1.1 or 1.2 fault: {@code soap:} and the fault code's local name ({@code
 *       soap:Server}), and one field error with the fault string.
 *   <li>Anything else in a 2xx (an empty or non-XML body, XML that is neither): the error code
 *       {@value #UNREADABLE}, which no default row names, so the core's {@code errorCode * in
 *       200-299} row dead-letters it as {@code channel_error}: a 200 that does not say {@code
 *       Success} is never acknowledged. In another status: the plain status.
 * </ul>
 *
 * <h2>What the schema says about the answer (2015A {@code MessageAcknowledgementType})</h2>
 *
 * Both RS messages are a choice between {@code Success} followed by optional {@code Warnings}, and
 * {@code Errors} (1 to 99 {@code Error}s); never both, so {@code Warnings} without {@code Success}
 * is not a valid answer, and this decoder does not take it as one. {@code Error} and {@code
 * Warning} are free text with a required {@code Type} (OpenTravel list EWT: 3 business rule, 4
 * authentication, 6 authorization, 10 required field missing, 12 processing exception, …) and
 * optional {@code Code} (list ERR), {@code ShortText} (1-64 characters), {@code RecordID}, {@code
 * Tag} and {@code Status}; {@code Type} and {@code Code} are {@code OTA_CodeType}s ({@code
 * [0-9A-Z]{1,3}(\.[A-Z]{3}(\.X)?)?}). Channels bend this (SOAP envelopes, HTTP 500 with an {@code
 * Errors} body), so the decoder reads leniently and lets the table decide.
 *
 * <p>The body is read with StAX with DTDs and external entities off. Stateless and thread-safe.
 */
public final class OtaResponseDecoder {
  /** The error code of a 2xx body that is not an OpenTravel acknowledgement or SOAP fault. */
  public static final String UNREADABLE = "ota:unreadable";

  /** The error code of {@code Errors} none of which has a {@code Type} or {@code Code}. */
  public static final String UNTYPED = "ota:untyped";

  private static final String SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/";
  private static final String SOAP12 = "http://www.w3.org/2003/05/soap-envelope";

  private final OtaErrorCodes codes;

  /** A decoder choosing error keys by {@code codes}. */
  public OtaResponseDecoder(OtaErrorCodes codes) {
    this.codes = Objects.requireNonNull(codes, "codes");
  }

  /** The outcome of {@code response}. */
  public Outcome decode(Response response) {
    return decode(response.status(), response.headers(), response.body());
  }

  /** The outcome of a response with {@code status}, {@code headers} and {@code body}. */
  public Outcome decode(int status, Headers headers, byte[] body) {
    Outcome plain = Outcome.response(status, headers);
    boolean ok = status >= 200 && status < 300;
    Parsed p;
    try {
      p = parse(body == null ? new byte[0] : body);
    } catch (XMLStreamException | RuntimeException e) {
      return ok ? unreadable(plain, "not XML: " + e.getMessage()) : plain;
    }
    if (!p.errors.isEmpty()) {
      // The schema requires Type; an Error without Type or Code must still not read as no error,
      // or a 200 listing errors would be acknowledged (a fuzzing finding).
      String key = null;
      List<FieldError> fields = new ArrayList<>();
      for (OtaError e : p.errors) {
        fields.add(e.toFieldError());
        key = key != null ? key : codes.keyFor(e.code, e.type);
      }
      return plain.withErrorCode(key != null ? key : UNTYPED).withFieldErrors(fields);
    }
    if (p.faultCode != null) {
      String local = p.faultCode.substring(p.faultCode.indexOf(':') + 1).trim();
      return plain
          .withErrorCode(OtaErrorCodes.SOAP_PREFIX + local)
          .withFieldErrors(
              List.of(
                  new FieldError(
                      "", "SOAP fault " + p.faultCode + ": " + nullToEmpty(p.faultString))));
    }
    if (p.success) {
      return plain;
    }
    return ok ? unreadable(plain, "neither Success, Errors nor a SOAP fault") : plain;
  }

  private static Outcome unreadable(Outcome plain, String why) {
    return plain
        .withErrorCode(UNREADABLE)
        .withFieldErrors(
            List.of(new FieldError("", "response is not an OpenTravel acknowledgement: " + why)));
  }

  private static Parsed parse(byte[] body) throws XMLStreamException {
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    XMLStreamReader r = f.createXMLStreamReader(new ByteArrayInputStream(body));
    Parsed p = new Parsed();
    boolean inFault = false;
    boolean inCode = false;
    boolean inReason = false;
    try {
      while (r.hasNext()) {
        int event = r.next();
        if (event == XMLStreamConstants.END_ELEMENT) {
          String name = r.getLocalName();
          if (isSoap(r.getNamespaceURI()) && name.equals("Fault")) {
            inFault = false;
          } else if (name.equals("Code")) {
            inCode = false;
          } else if (name.equals("Reason")) {
            inReason = false;
          }
          continue;
        }
        if (event != XMLStreamConstants.START_ELEMENT) {
          continue;
        }
        String ns = r.getNamespaceURI();
        String name = r.getLocalName();
        if (isSoap(ns) && name.equals("Fault")) {
          inFault = true;
        } else if (inFault) {
          // SOAP 1.1: unqualified faultcode/faultstring; SOAP 1.2: Code/Value, Reason/Text.
          if (name.equals("faultcode") && p.faultCode == null) {
            p.faultCode = r.getElementText().trim();
          } else if (name.equals("faultstring") && p.faultString == null) {
            p.faultString = r.getElementText().trim();
          } else if (name.equals("Code")) {
            inCode = true;
          } else if (name.equals("Value") && inCode && p.faultCode == null) {
            p.faultCode = r.getElementText().trim();
          } else if (name.equals("Reason")) {
            inReason = true;
          } else if (name.equals("Text") && inReason && p.faultString == null) {
            p.faultString = r.getElementText().trim();
          }
        } else if (isOta(ns)) {
          switch (name) {
            case "Success" -> p.success = true;
            case "Error" -> p.errors.add(OtaError.read(r));
            default -> {}
          }
        }
      }
    } finally {
      r.close();
    }
    return p;
  }

  private static boolean isSoap(String ns) {
    return SOAP11.equals(ns) || SOAP12.equals(ns);
  }

  private static boolean isOta(String ns) {
    return ns == null || ns.isEmpty() || OtaEncoder.NAMESPACE.equals(ns);
  }

  private static String nullToEmpty(@Nullable String s) {
    return s == null ? "" : s;
  }

  private static final class Parsed {
    boolean success;
    final List<OtaError> errors = new ArrayList<>();
    @Nullable String faultCode;
    @Nullable String faultString;
  }

  /** One {@code Error}: its attributes and text. */
  private record OtaError(
      String type, String code, String shortText, String recordId, String tag, String text) {

    static OtaError read(XMLStreamReader r) throws XMLStreamException {
      String type = r.getAttributeValue(null, "Type");
      String code = r.getAttributeValue(null, "Code");
      String shortText = r.getAttributeValue(null, "ShortText");
      String recordId = r.getAttributeValue(null, "RecordID");
      String tag = r.getAttributeValue(null, "Tag");
      String text = r.getElementText().trim();
      return new OtaError(type, code, shortText, recordId, tag, text);
    }

    FieldError toFieldError() {
      String path = recordId != null && !recordId.isBlank() ? recordId : tag == null ? "" : tag;
      StringBuilder m = new StringBuilder("OpenTravel error");
      if (type != null) {
        m.append(" Type ").append(type);
      }
      if (code != null) {
        m.append(" Code ").append(code);
      }
      if (shortText != null && !shortText.isBlank()) {
        m.append(" (").append(shortText).append(')');
      }
      if (!text.isEmpty()) {
        m.append(": ").append(text);
      }
      return new FieldError(path, m.toString());
    }
  }
}
