package dev.paritysync.app.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

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

  private final Map<String, Asset> files;

  private Assets(Map<String, Asset> files) {
    this.files = files;
  }

  /**
   * The files the pages link: {@code ui.css}, {@code icon.svg}, {@code htmx.min.js} and htmx's SSE
   * extension {@code sse.js}.
   *
   * @throws IllegalStateException naming a file missing from the class path
   */
  static Assets load() {
    String htmx = webJarVersion("htmx.org");
    String sse = webJarVersion("htmx-ext-sse");
    return new Assets(
        Map.of(
            "ui.css", new Asset(read(OWN + "ui.css"), "text/css; charset=utf-8"),
            "icon.svg", new Asset(read(OWN + "icon.svg"), "image/svg+xml"),
            "htmx.min.js",
                new Asset(
                    read("/META-INF/resources/webjars/htmx.org/" + htmx + "/dist/htmx.min.js"),
                    "text/javascript; charset=utf-8"),
            "sse.js",
                new Asset(
                    read("/META-INF/resources/webjars/htmx-ext-sse/" + sse + "/sse.js"),
                    "text/javascript; charset=utf-8")));
  }

  /** The file named {@code name}, or null. */
  @Nullable Asset get(String name) {
    return files.get(name);
  }

  /** The version of the npm WebJar {@code artifact} on the class path. */
  private static String webJarVersion(String artifact) {
    String pom = "/META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
    Properties p = new Properties();
    try (InputStream in = Assets.class.getResourceAsStream(pom)) {
      if (in == null) {
        throw new IllegalStateException(
            pom + " is missing from the class path: the " + artifact + " WebJar is not on it");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(pom + ": " + e.getMessage(), e);
    }
    String v = p.getProperty("version");
    if (v == null) {
      throw new IllegalStateException(pom + " names no version");
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
