package dev.paritysync.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ConfigMap#string}: text as written, and a mapping or list is an error naming the key. */
class ConfigMapTest {
  private final ConfigMap server =
      new ConfigMap(
          "server",
          Map.of("host", Map.of("name", "a"), "hosts", List.of("a"), "port", 8080, "name", "x"));

  @Test
  void readsTextNumbersAndTheFallback() {
    assertThat(server.string("name", null)).isEqualTo("x");
    assertThat(server.string("port", null)).isEqualTo("8080");
    assertThat(server.string("absent", "fallback")).isEqualTo("fallback");
  }

  @Test
  void aMappingOrAListWhereTextBelongsNamesTheKey() {
    assertThatThrownBy(() -> server.string("host", "127.0.0.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("server.host: expected a text value, found a mapping");
    assertThatThrownBy(() -> server.string("hosts", null))
        .hasMessage("server.hosts: expected a text value, found a list");
  }
}
