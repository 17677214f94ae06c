package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.paritysync.royalty.SourceConfig;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fuzzes the royalty sources configuration ({@code sources:} in the YAML file of {@code paritysync
 * royalty ingest} and {@code pull}) with arbitrary YAML: what parses as a map with a {@code
 * sources:} map goes to {@link SourceConfig#allFromMap}, as the commands do. It returns the sources
 * or throws {@link IllegalArgumentException} whose message starts with the key path at fault
 * ({@code sources.NAME…: why}): nothing else.
 */
class SourceConfigFuzzTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @FuzzTest(maxDuration = "10s")
  void load(byte[] input) throws IOException {
    Object raw;
    try {
      raw = YAML.readValue(input, Object.class);
    } catch (JacksonException notYaml) {
      return; // the commands answer "not valid YAML" with the parser's message
    }
    if (!(raw instanceof Map<?, ?> top) || !(top.get("sources") instanceof Map<?, ?> map)) {
      return;
    }
    Map<String, Object> named = new LinkedHashMap<>();
    map.forEach((k, v) -> named.put(String.valueOf(k), v));
    try {
      Map<String, SourceConfig> sources = SourceConfig.allFromMap(named);
      assertThat(sources.keySet()).isEqualTo(named.keySet());
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).as("message").matches("(?s)sources\\..+: \\S.*");
    }
  }
}
