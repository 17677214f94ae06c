package dev.paritysync.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/**
 * {@code paritysync --version}: the version and the git commit the build was made from, read from
 * {@code version.properties}, which Maven fills in at build time. A build outside a git checkout
 * (or a class path without the file) prints {@code unknown} for what it cannot know.
 */
final class VersionProvider implements CommandLine.IVersionProvider {
  static final String UNKNOWN = "unknown";
  private static final String RESOURCE = "version.properties";

  @Override
  public String[] getVersion() {
    Properties p = read();
    return new String[] {
      line(p), "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "") + ")"
    };
  }

  /** {@code paritysync 0.1.0 (commit 1a2b3c4)}, {@code (commit 1a2b3c4, modified)} when dirty. */
  static String line(Properties p) {
    String commit = value(p, "commit");
    boolean dirty = "true".equals(value(p, "dirty"));
    return "paritysync "
        + value(p, "version")
        + " (commit "
        + commit
        + (dirty && !commit.equals(UNKNOWN) ? ", modified" : "")
        + ")";
  }

  /** The version of this build, or {@value #UNKNOWN}. */
  static String version() {
    return value(read(), "version");
  }

  private static String value(Properties p, String key) {
    String v = p.getProperty(key, "").strip();
    return v.isEmpty() || v.contains("${") ? UNKNOWN : v;
  }

  private static Properties read() {
    Properties p = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE + " from the class path", e);
    }
    return p;
  }
}
