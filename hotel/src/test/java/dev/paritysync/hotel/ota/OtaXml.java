package dev.paritysync.hotel.ota;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Reads back what the encoder wrote, for the business-rule checks. */
final class OtaXml {
  private OtaXml() {}

  /** One {@code StatusApplicationControl}: the range a message addresses. */
  record Control(String inv, String plan, String start, String end) {}

  static Document parse(byte[] xml) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
      f.setNamespaceAware(true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    } catch (Exception e) {
      throw new IllegalStateException("unparseable XML", e);
    }
  }

  static List<Element> elements(Document doc, String localName) {
    NodeList nodes = doc.getElementsByTagNameNS(OtaEncoder.NAMESPACE, localName);
    List<Element> out = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      out.add((Element) nodes.item(i));
    }
    return out;
  }

  /** The distinct ranges a message addresses, in document order. */
  static Set<Control> controls(Document doc) {
    Set<Control> out = new LinkedHashSet<>();
    for (Element e : elements(doc, "StatusApplicationControl")) {
      out.add(
          new Control(
              e.getAttribute("InvTypeCode"),
              e.hasAttribute("RatePlanCode") ? e.getAttribute("RatePlanCode") : null,
              e.getAttribute("Start"),
              e.getAttribute("End")));
    }
    return out;
  }

  /** Every value of {@code attribute} on {@code element}s. */
  static List<String> attributes(Document doc, String element, String attribute) {
    return elements(doc, element).stream()
        .filter(e -> e.hasAttribute(attribute))
        .map(e -> e.getAttribute(attribute))
        .toList();
  }
}
