package dev.paritysync.app;

import static dev.paritysync.app.ConfigSchemas.copy;
import static dev.paritysync.app.ConfigSchemas.loaderError;
import static dev.paritysync.app.ConfigSchemas.schema;
import static dev.paritysync.app.ConfigSchemas.schemaErrors;
import static dev.paritysync.app.ConfigSchemas.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.app.ConfigSchemas.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example file and every YAML block of the docs is valid to the configuration schema and to
 * the loader alike. A block's fence says what it is:
 *
 * <ul>
 *   <li>{@code ```yaml} — part of a configuration file: the keys it shows must be valid (keys the
 *       file needs elsewhere may be left out), and the loader must accept it placed in {@code
 *       examples/minimal.yaml} (a channel it names that the file lacks is that file's channel);
 *   <li>{@code ```yaml file} — a whole configuration file, checked as it stands;
 *   <li>{@code ```yaml not-config} — another tool's file (Prometheus, Kubernetes): not checked, and
 *       it may not hold a key a paritysync file has at its top.
 * </ul>
 */
class ConfigSchemaTest {
  private static final Pattern BLOCK =
      Pattern.compile("(?m)^```yaml([^\\n]*)\\n(.*?)^```\\s*$", Pattern.DOTALL);

  @TempDir Path dir;

  @Test
  void everyExampleIsValidToTheSchemaAndTheLoader() throws IOException {
    List<Path> examples;
    try (Stream<Path> files = Files.walk(ConfigSchemas.ROOT.resolve("examples"))) {
      examples = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(examples).hasSizeGreaterThanOrEqualTo(7);
    for (Path example : examples) {
      Object document = yaml(example);
      assertThat(schemaErrors(schema(Kind.of(document), false), document))
          .as(example.toString())
          .isEmpty();
      assertThat(loaderError(example)).as(example.toString()).isNull();
    }
  }

  @Test
  void everyYamlBlockOfTheDocsIsValidOrMarkedAsAnotherToolsFile() throws IOException {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Block b : blocks()) {
      counts.merge(b.marker, 1, Integer::sum);
      Object document = yaml(b.text);
      switch (b.marker) {
        case "file" -> {
          assertThat(schemaErrors(schema(Kind.of(document), false), document)).as(b.at).isEmpty();
          assertThat(loaderError(dir, document)).as(b.at).isNull();
        }
        case "" -> {
          Kind kind = Kind.of(document);
          assertThat(schemaErrors(schema(kind, true), document)).as(b.at).isEmpty();
          Object whole = kind == Kind.ENGINE ? placed(document) : document;
          assertThat(loaderError(dir, whole)).as(b.at + " in examples/minimal.yaml").isNull();
        }
        case "not-config" ->
            assertThat(((Map<?, ?>) document).keySet().stream().map(String::valueOf).toList())
                .as(b.at + ": marked not-config but holds a paritysync section")
                .doesNotContainAnyElementsOf(topLevelKeys());
        default -> throw new AssertionError(b.at + ": unknown marker '" + b.marker + "'");
      }
    }
    // each kind of block is there, so none of the checks above can pass on nothing
    assertThat(counts).containsKeys("", "file", "not-config");
    assertThat(counts.get("")).isGreaterThanOrEqualTo(15);
  }

  @Test
  void aFragmentWithAWrongKeyFailsBothChecks() {
    Object document = yaml("server: {host: 127.0.0.1, prot: 8080}");
    assertThat(schemaErrors(schema(Kind.ENGINE, true), document)).isNotEmpty();
    assertThat(loaderError(dir, placed(document))).contains("server.prot: unknown key");
  }

  private record Block(String at, String marker, String text) {}

  private static List<Block> blocks() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> docs = Files.list(ConfigSchemas.ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    files.add(ConfigSchemas.ROOT.resolve("README.md"));
    files.add(ConfigSchemas.ROOT.resolve("examples/README.md"));
    List<Block> out = new ArrayList<>();
    for (Path f : files) {
      String text = Files.readString(f);
      Matcher m = BLOCK.matcher(text);
      while (m.find()) {
        int line = text.substring(0, m.start()).split("\n", -1).length;
        String at = ConfigSchemas.ROOT.relativize(f) + ":" + line;
        out.add(new Block(at, m.group(1).trim(), m.group(2)));
      }
    }
    return out;
  }

  private static Set<String> topLevelKeys() {
    Set<String> keys = new java.util.TreeSet<>();
    for (Kind k : Kind.values()) {
      ConfigSchemas.tree(k).path("properties").fieldNames().forEachRemaining(keys::add);
    }
    return keys;
  }

  /**
   * {@code fragment} placed in {@code examples/minimal.yaml}: its sections merged key by key, and
   * each channel's keys replacing the file's; a channel the file lacks (also one named under {@code
   * reconciliation.channels}) starts as a copy of the file's first channel.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> placed(Object fragment) {
    Map<String, Object> base =
        (Map<String, Object>) copy(yaml(ConfigSchemas.ROOT.resolve("examples/minimal.yaml")));
    Map<String, Object> channels = (Map<String, Object>) base.get("channels");
    Object template = channels.values().iterator().next();
    Map<String, Object> f = (Map<String, Object>) copy(fragment);
    if (f.get("reconciliation") instanceof Map<?, ?> r
        && r.get("channels") instanceof Map<?, ?> named) {
      named.keySet().forEach(n -> channels.putIfAbsent(String.valueOf(n), copy(template)));
    }
    if (f.remove("channels") instanceof Map<?, ?> shown) {
      shown.forEach(
          (name, keys) -> {
            Map<String, Object> channel =
                (Map<String, Object>)
                    channels.computeIfAbsent(String.valueOf(name), n -> copy(template));
            ((Map<String, Object>) keys).forEach(channel::put);
          });
    }
    merge(base, f);
    return base;
  }

  @SuppressWarnings("unchecked")
  private static void merge(Map<String, Object> into, Map<String, Object> from) {
    from.forEach(
        (k, v) -> {
          if (v instanceof Map<?, ?> m && into.get(k) instanceof Map<?, ?> existing) {
            merge((Map<String, Object>) existing, (Map<String, Object>) m);
          } else {
            into.put(k, v);
          }
        });
  }
}
