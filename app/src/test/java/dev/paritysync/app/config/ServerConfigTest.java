package dev.paritysync.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.hotel.channel.SecretResolver;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code server:} section, {@code telemetry:} as read with it, and {@code ${ENV}} substitution.
 */
class ServerConfigTest {
  @TempDir Path dir;

  private static final String BASE =
      "portfolio:\n"
          + "  properties:\n"
          + "    P1: {timezone: UTC, rooms: {DBL: {ratePlans: {BAR: EUR}}}}\n"
          + "channels:\n"
          + "  a:\n"
          + "    adapter: native\n"
          + "    baseUrl: ${CHANNEL_URL:-http://127.0.0.1:9/}\n"
          + "    credentials: {apiKey: {header: X-Api-Key, value: \"${env:KEY}\"}}\n"
          + "    mapping: {rooms: {DBL: D1}, ratePlans: {BAR: R1}}\n";

  private static final SecretResolver SECRETS =
      SecretResolver.fromMap(Map.of("env:KEY", "k", "env:ADMIN", "s3cret"));

  private EngineFileConfig load(String yaml, Map<String, String> env) throws Exception {
    Path file = dir.resolve("p.yaml");
    Files.writeString(file, yaml);
    return EngineFileConfig.load(file, SECRETS, env::get);
  }

  @Test
  void defaultsWhenTheSectionsAreAbsent() throws Exception {
    ServerConfig s = load(BASE, Map.of()).server();

    assertThat(s).isEqualTo(ServerConfig.DEFAULTS);
    assertThat(s.host()).isEqualTo("127.0.0.1");
    assertThat(s.port()).isEqualTo(8080);
    assertThat(s.maxBodyBytes()).isEqualTo(1 << 20);
    assertThat(s.idempotencyWindow()).isEqualTo(Duration.ofHours(24));
    assertThat(s.adminToken()).isEmpty();
  }

  @Test
  void readsGroupCommitAndNamesItsKeysInErrors() throws Exception {
    ServerConfig s =
        load(
                BASE
                    + "server:\n"
                    + "  groupCommit: {maxRequests: 16, maxCells: 900, maxWait: 0ms, queue: 64}\n",
                Map.of())
            .server();

    assertThat(s.groupCommit())
        .isEqualTo(new dev.paritysync.app.server.GroupCommit(16, 900, Duration.ZERO, 64));
    assertThat(ServerConfig.DEFAULTS.groupCommit().maxWait()).isEqualTo(Duration.ofMillis(2));
    assertThatThrownBy(() -> load(BASE + "server: {groupCommit: {maxWaits: 1ms}}\n", Map.of()))
        .hasMessageContaining("server.groupCommit.maxWaits: unknown key");
    assertThatThrownBy(() -> load(BASE + "server: {groupCommit: {queue: 0}}\n", Map.of()))
        .hasMessageContaining("server.groupCommit.queue: must be at least 1, was 0");
  }

  @Test
  void readsEveryKeyWithVariablesSubstituted() throws Exception {
    EngineFileConfig cfg =
        load(
            BASE
                + "server:\n"
                + "  port: ${PORT}\n"
                + "  maxBodyBytes: 2048\n"
                + "  idempotencyWindow: 1h\n"
                + "  drain: 3s\n"
                + "  shutdownDeadline: 4s\n"
                + "  adminToken: \"${env:ADMIN}\"\n"
                + "  apiToken: \"${env:ADMIN}\"\n"
                + "telemetry: {otlp: {endpoint: \"http://127.0.0.1:${OTLP_PORT:-4318}/v1/traces\"}}\n",
            Map.of("PORT", "9090", "CHANNEL_URL", "http://127.0.0.1:7000/"));
    ServerConfig s = cfg.server();

    assertThat(s.port()).isEqualTo(9090);
    assertThat(s.maxBodyBytes()).isEqualTo(2048);
    assertThat(s.idempotencyWindow()).isEqualTo(Duration.ofHours(1));
    assertThat(s.drain()).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.shutdownDeadline()).isEqualTo(Duration.ofSeconds(4));
    assertThat(s.adminToken().orElseThrow().reveal()).isEqualTo("s3cret");
    assertThat(s.apiToken().orElseThrow().reveal()).isEqualTo("s3cret");
    assertThat(cfg.telemetry().endpoint()).isEqualTo(URI.create("http://127.0.0.1:4318/v1/traces"));
    assertThat(cfg.channels().get("a").baseUrl().toString()).isEqualTo("http://127.0.0.1:7000/");
    assertThat(s.toString()).doesNotContain("s3cret").contains("[redacted]");
  }

  @Test
  void everyErrorNamesItsKey() {
    assertThatThrownBy(() -> load(BASE + "server: {port: \"${PORT}\"}\n", Map.of()))
        .hasMessageContaining("server.port: environment variable PORT is not set");
    assertThatThrownBy(() -> load(BASE + "server: {port: 70000}\n", Map.of()))
        .hasMessageContaining("server.port: 70000 is not in 0..65535");
    assertThatThrownBy(() -> load(BASE + "server: {adminToken: hunter2}\n", Map.of()))
        .hasMessageContaining("server.adminToken: must be a reference")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> load(BASE + "server: {adminToken: \"${env:NOPE}\"}\n", Map.of()))
        .hasMessageContaining("server.adminToken:");
    assertThatThrownBy(() -> load(BASE + "server: {drain: 0s}\n", Map.of()))
        .hasMessageContaining("server.drain: must be positive");
    assertThatThrownBy(() -> load(BASE + "server: {colour: red}\n", Map.of()))
        .hasMessageContaining("server.colour: unknown key");
    assertThatThrownBy(() -> load(BASE + "telemetry: {otlp: {endpoint: \"ftp://x\"}}\n", Map.of()))
        .hasMessageContaining("telemetry.otlp.endpoint: ftp://x is not an http(s) URL");
  }

  @Test
  void aDoubleDollarIsALiteralAndSecretReferencesAreLeftAlone() throws Exception {
    EngineFileConfig cfg =
        load(BASE.replace("owner", "x") + "engine: {owner: \"$${NOT_A_VAR}\"}\n", Map.of());

    assertThat(cfg.owner()).isEqualTo("${NOT_A_VAR}");
  }
}
