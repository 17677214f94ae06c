package dev.paritysync.hotel.ota;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** Without the shared fixtures the schema tests are skipped, saying why, not failed. */
class OtaSchemasTest {
  @Test
  void aMissingFixtureFolderSkipsWithTheReason() {
    String before = System.getProperty("paritysync.shared");
    try {
      System.setProperty("paritysync.shared", "/nonexistent/shared");
      assertThatThrownBy(OtaSchemas::folder)
          .isInstanceOf(TestAbortedException.class)
          .hasMessageContaining(
              "OpenTravel 2015A schemas not found in"
                  + " /nonexistent/shared/fixtures/hotel/opentravel-2015a-xsd (shared fixtures"
                  + " absent); skipping OpenTravel schema validation");
      System.clearProperty("paritysync.shared");
      assertThatThrownBy(OtaSchemas::folder)
          .isInstanceOf(TestAbortedException.class)
          .hasMessageContaining("system property paritysync.shared is not set");
    } finally {
      if (before == null) {
        System.clearProperty("paritysync.shared");
      } else {
        System.setProperty("paritysync.shared", before);
      }
    }
  }
}
