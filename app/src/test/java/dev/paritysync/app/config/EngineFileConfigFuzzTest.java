package dev.paritysync.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.paritysync.hotel.channel.SecretResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@link EngineFileConfig#load}, the YAML file {@code paritysync run} and {@code serve}
 * read, with arbitrary files (secret references resolve from a fixed map, {@code ${NAME}} from a
 * fixed environment). For every file it returns a configuration or throws {@link
 * IllegalArgumentException} whose one-line message starts with the file's path and names what is
 * wrong: nothing else.
 */
class EngineFileConfigFuzzTest {
  private static final SecretResolver SECRETS =
      SecretResolver.fromMap(
          Map.of("env:KEY", "k", "env:WHSEC", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
  private static final Map<String, String> ENV = Map.of("PORT", "8080", "HOST", "127.0.0.1");

  @TempDir static Path dir;

  @FuzzTest(maxDuration = "10s")
  void load(byte[] input) throws IOException {
    Path file = dir.resolve("paritysync.yaml");
    Files.write(file, input);
    try {
      EngineFileConfig cfg = EngineFileConfig.load(file, SECRETS, ENV::get);
      assertThat(cfg.portfolio()).isNotNull();
      assertThat(cfg.channels()).isNotNull();
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      assertThat(message).as("message").startsWith(file + ": ");
      assertThat(message.substring((file + ": ").length())).as("what is wrong").isNotBlank();
    }
  }
}
