package dev.paritysync.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretTest {

  @Test
  void toStringIsRedacted() {
    Secret s = Secret.of("hunter2");

    assertThat(s.toString()).isEqualTo("[redacted]");
    assertThat(s.reveal()).isEqualTo("hunter2");
  }

  @Test
  void readsAFileWithoutTheTrailingNewline(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("client-secret");
    Files.writeString(file, "abc123\n");

    assertThat(Secret.fromFile(file).reveal()).isEqualTo("abc123");
  }

  @Test
  void aMissingFileIsNamed(@TempDir Path dir) {
    Path file = dir.resolve("nope");

    assertThatThrownBy(() -> Secret.fromFile(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void anEmptyFileIsNamed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("empty");
    Files.writeString(file, "\n");

    assertThatThrownBy(() -> Secret.fromFile(file)).hasMessageContaining(file + " is empty");
  }

  @Test
  void aMissingVariableIsNamed() {
    assertThatThrownBy(() -> Secret.fromEnv("PARITYSYNC_TEST_SURELY_UNSET_42"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("environment variable PARITYSYNC_TEST_SURELY_UNSET_42 is not set");
  }

  @Test
  void aSetVariableIsRead() {
    String name =
        System.getenv().containsKey("PATH") ? "PATH" : System.getenv().keySet().iterator().next();

    assertThat(Secret.fromEnv(name).reveal()).isEqualTo(System.getenv(name));
  }

  @Test
  void anAccessTokenHidesItsValue() {
    AccessToken t = new AccessToken("eyJ.secret", "Bearer", Instant.parse("2026-01-01T01:00:00Z"));

    assertThat(t.toString()).doesNotContain("eyJ").contains("2026-01-01T01:00:00Z");
  }
}
