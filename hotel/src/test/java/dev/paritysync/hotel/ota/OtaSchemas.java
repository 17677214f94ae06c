package dev.paritysync.hotel.ota;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.w3c.dom.ls.LSInput;
import org.w3c.dom.ls.LSResourceResolver;
import org.xml.sax.SAXException;

/**
 * The OpenTravel 2015A schemas from {@code
 * <paritysync.shared>/fixtures/hotel/opentravel-2015a-xsd}, loaded offline: every include resolves
 * inside that folder (anything else fails the test), and the factory and validators may open {@code
 * file:} URLs only. Compiled once per JVM.
 */
final class OtaSchemas {
  static final String FOLDER = "fixtures/hotel/opentravel-2015a-xsd";
  private static final String[] ROOTS = {
    "OTA_HotelAvailNotifRQ.xsd",
    "OTA_HotelRateAmountNotifRQ.xsd",
    "OTA_HotelAvailNotifRS.xsd",
    "OTA_HotelRateAmountNotifRS.xsd"
  };
  private static final ConcurrentHashMap<Path, Schema> CACHE = new ConcurrentHashMap<>();

  /** How many includes the resolver served from the folder, to show nothing came from elsewhere. */
  static final AtomicInteger RESOLVED = new AtomicInteger();

  private OtaSchemas() {}

  /** The fixture folder, or a skipped test saying why it is missing. */
  static Path folder() {
    String shared = System.getProperty("paritysync.shared");
    assumeTrue(
        shared != null,
        "system property paritysync.shared is not set (surefire sets it to <repo>/../shared);"
            + " skipping OpenTravel schema validation");
    Path dir = Path.of(shared).resolve(FOLDER).toAbsolutePath().normalize();
    assumeTrue(
        Files.isRegularFile(dir.resolve(ROOTS[0])),
        "OpenTravel 2015A schemas not found in "
            + dir
            + " (shared fixtures absent); skipping OpenTravel schema validation");
    return dir;
  }

  /** The compiled schema holding the four notification messages. */
  static Schema schema() {
    return CACHE.computeIfAbsent(folder(), OtaSchemas::compile);
  }

  /** A validator allowed to read {@code file:} URLs only. */
  static Validator validator() {
    Validator v = schema().newValidator();
    try {
      v.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file");
      v.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "file");
    } catch (SAXException e) {
      throw new IllegalStateException(e);
    }
    v.setResourceResolver(resolver(folder()));
    return v;
  }

  /** Validates {@code xml}; throws the validator's {@link SAXException} when it is invalid. */
  static void validate(byte[] xml) throws SAXException {
    try {
      validator().validate(new StreamSource(new ByteArrayInputStream(xml)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Schema compile(Path dir) {
    SchemaFactory f = SchemaFactory.newDefaultInstance();
    try {
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file");
      f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "file");
      f.setResourceResolver(resolver(dir));
      StringBuilder wrapper =
          new StringBuilder(
              "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'"
                  + " targetNamespace='http://www.opentravel.org/OTA/2003/05'"
                  + " elementFormDefault='qualified'>");
      for (String root : ROOTS) {
        wrapper.append("<xs:include schemaLocation='").append(root).append("'/>");
      }
      wrapper.append("</xs:schema>");
      StreamSource source = new StreamSource(new StringReader(wrapper.toString()));
      source.setSystemId(dir.resolve("all-notifications.xsd").toUri().toString());
      return f.newSchema(source);
    } catch (SAXException e) {
      throw new IllegalStateException("cannot compile the OpenTravel schemas in " + dir, e);
    }
  }

  /** Serves includes from {@code dir} only; anything outside it is a test failure. */
  private static LSResourceResolver resolver(Path dir) {
    return (type, namespace, publicId, systemId, baseUri) -> {
      if (systemId == null) {
        throw new IllegalStateException("schema reference without a location in " + baseUri);
      }
      URI base = baseUri == null ? dir.toUri() : URI.create(baseUri);
      URI uri = base.resolve(systemId);
      if (!"file".equals(uri.getScheme())) {
        throw new IllegalStateException(
            "reference to " + uri + " refused: nothing is fetched over the network");
      }
      Path target = Path.of(uri).toAbsolutePath().normalize();
      if (!target.startsWith(dir) || !Files.isRegularFile(target)) {
        throw new IllegalStateException(
            "schema reference " + systemId + " (from " + baseUri + ") is not in " + dir);
      }
      RESOLVED.incrementAndGet();
      return new FileInput(target, publicId);
    };
  }

  private record FileInput(Path file, String publicId) implements LSInput {
    @Override
    public InputStream getByteStream() {
      try {
        return Files.newInputStream(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String getSystemId() {
      return file.toUri().toString();
    }

    @Override
    public String getPublicId() {
      return publicId;
    }

    @Override
    public Reader getCharacterStream() {
      return null;
    }

    @Override
    public String getStringData() {
      return null;
    }

    @Override
    public String getBaseURI() {
      return null;
    }

    @Override
    public String getEncoding() {
      return null;
    }

    @Override
    public boolean getCertifiedText() {
      return false;
    }

    @Override
    public void setCharacterStream(Reader characterStream) {}

    @Override
    public void setByteStream(InputStream byteStream) {}

    @Override
    public void setStringData(String stringData) {}

    @Override
    public void setSystemId(String systemId) {}

    @Override
    public void setPublicId(String publicId) {}

    @Override
    public void setBaseURI(String baseUri) {}

    @Override
    public void setEncoding(String encoding) {}

    @Override
    public void setCertifiedText(boolean certifiedText) {}
  }
}
