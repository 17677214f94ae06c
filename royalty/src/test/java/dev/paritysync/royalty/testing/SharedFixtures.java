package dev.paritysync.royalty.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared fixtures beside the checkout ({@code -Dparitysync.shared}, set by the root pom). */
public final class SharedFixtures {
  private SharedFixtures() {}

  /** The DDEX DSR samples; skips the calling test, saying why, when they are absent. */
  public static Path dsrSamples() {
    String shared = System.getProperty("paritysync.shared", "../../shared");
    Path dir = Path.of(shared, "fixtures", "royalty", "ddexnet-dsrf");
    assumeTrue(
        Files.isDirectory(dir),
        "shared fixtures absent: " + dir.toAbsolutePath() + " (set -Dparitysync.shared)");
    return dir;
  }
}
