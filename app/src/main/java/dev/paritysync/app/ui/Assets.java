package dev.paritysync.app.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The UI's static files, read from the jar once: its stylesheet and icon, and htmx from its WebJar.
 * Nothing is fetched from elsewhere at run time. Immutable.
 */
final class Assets {
  /**
   * One file.
   *
   * @param bytes its content
   * @param type its media type
   */
  record Asset(byte[] bytes, String type) {}

  private static final String OWN = "/dev/paritysync/app/ui/";
  private static final String HTMX_POM = "/META-INF/maven/org.webjars.npm/htmx.org/pom.properties";

  private final Map<String, Asset> files;

  private Assets(Map<String, Asset> files) {
    this.files = files;
  }

  /**
   * The files the pages link: {@code ui.css}, {@code icon.svg}, {@code htmx.min.js}.
   *
   * @throws IllegalStateException naming a file missing from the class path
   */
  static Assets load() {
    String htmx = htmxVersion();
    return new Assets(
        Map.of(
            "ui.css", new Asset(read(OWN + "ui.css"), "text/css; charset=utf-8"),
            "icon.svg", new Asset(read(OWN + "icon.svg"), "image/svg+xml"),
            "htmx.min.js",
                new Asset(
                    read("/META-INF/resources/webjars/htmx.org/" + htmx + "/dist/htmx.min.js"),
                    "text/javascript; charset=utf-8")));
  }

  /** The file named {@code name}, or null. */
  Asset get(String name) {
    return files.get(name);
  }

  private static String htmxVersion() {
    Properties p = new Properties();
    try (InputStream in = Assets.class.getResourceAsStream(HTMX_POM)) {
      if (in == null) {
        throw new IllegalStateException(
            HTMX_POM + " is missing from the class path: the htmx.org WebJar is not on it");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(HTMX_POM + ": " + e.getMessage(), e);
    }
    String v = p.getProperty("version");
    if (v == null) {
      throw new IllegalStateException(HTMX_POM + " names no version");
    }
    return v;
  }

  private static byte[] read(String resource) {
    try (InputStream in = Assets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(resource + ": " + e.getMessage(), e);
    }
  }
}
