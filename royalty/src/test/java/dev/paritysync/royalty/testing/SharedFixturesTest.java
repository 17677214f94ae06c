package dev.paritysync.royalty.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class SharedFixturesTest {

  @Test
  void aMissingFolderSkipsSayingWhy() {
    String before = System.getProperty("paritysync.shared");
    System.setProperty("paritysync.shared", "/nonexistent/shared");
    try {
      assertThatThrownBy(SharedFixtures::dsrSamples)
          .isInstanceOf(TestAbortedException.class)
          .hasMessageContaining(
              "shared fixtures absent: /nonexistent/shared/fixtures/royalty/ddexnet-dsrf");
    } finally {
      if (before == null) {
        System.clearProperty("paritysync.shared");
      } else {
        System.setProperty("paritysync.shared", before);
      }
    }
  }
}
