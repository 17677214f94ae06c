package dev.paritysync.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configuration schemas in {@code schema/}, and the two judges the schema tests compare: the
 * schema (through the networknt validator) and the configuration layer (through {@link
 * ConfigCheck}, which loads a file as {@code run}, {@code serve} and the royalty commands do).
 */
final class ConfigSchemas {
  /** The repository's root: tests run in {@code app/}. */
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  /** Which schema, and which loader, a document is for. */
  enum Kind {
    ENGINE("paritysync.schema.json"),
    ROYALTY("paritysync-royalty.schema.json");

    final String file;

    Kind(String file) {
      this.file = file;
    }

    /** Royalty when the document has sources or drift and no engine section, as config check. */
    static Kind of(Object document) {
      if (document instanceof Map<?, ?> top
          && (top.containsKey("sources") || top.containsKey("drift"))
          && !top.containsKey("channels")
          && !top.containsKey("portfolio")) {
        return ROYALTY;
      }
      return ENGINE;
    }
  }

  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  private ConfigSchemas() {}

  /** The schema of {@code kind} as a tree. */
  static JsonNode tree(Kind kind) {
    try {
      return JSON.readTree(ROOT.resolve("schema").resolve(kind.file).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The schema of {@code kind}, or with {@code fragment} the same without any required key. */
  static Schema schema(Kind kind, boolean fragment) {
    JsonNode tree = tree(kind);
    if (fragment) {
      dropRequired(tree);
    }
    return REGISTRY.getSchema(tree.toString(), InputFormat.JSON);
  }

  /** What the schema says against {@code document}: one line per error, none when it is valid. */
  static List<String> schemaErrors(Schema schema, Object document) {
    try {
      return schema.validate(JSON.writeValueAsString(document), InputFormat.JSON).stream()
          .map(e -> e.getInstanceLocation() + ": " + e.getMessage())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What {@code paritysync config check} says against {@code document} written to a file in {@code
   * dir}: its error, or null when it accepts the file.
   */
  static String loaderError(Path dir, Object document) {
    try {
      Path file = Files.createTempFile(dir, "config", ".yaml");
      YAML.writeValue(file.toFile(), document);
      return loaderError(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What {@code paritysync config check} says against {@code file}, or null when it accepts it. */
  static String loaderError(Path file) {
    try {
      new ConfigCheck(name -> null, false).check(file, ConfigCheck.Kind.AUTO);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /** A YAML document as maps, lists and scalars. */
  static Object yaml(String text) {
    try {
      return YAML.readValue(text, Object.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Object yaml(Path file) {
    try {
      return yaml(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A deep copy of a YAML-loaded value. */
  @SuppressWarnings("unchecked")
  static Object copy(Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), copy(v)));
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(copy(v)));
      return out;
    }
    return value;
  }

  // A fragment leaves out keys the file needs elsewhere, never one beside the keys it shows: only
  // the required lists of object schemas go (the ones beside "properties"), not those that pick a
  // branch of anyOf, oneOf or not.
  private static void dropRequired(JsonNode node) {
    if (node instanceof ObjectNode o && o.has("properties")) {
      o.remove("required");
    }
    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
      dropRequired(it.next());
    }
  }

  // ------------------------------------------------------------------ walking a document

  /**
   * One mapping of a document and what the schema says of it.
   *
   * @param path the key path as the loader names it ({@code channels.booking.resilience})
   * @param value the mapping
   * @param pointer the JSON pointer of the schema object that closes it, or null when it is open
   * @param declared the keys the schema declares for it
   */
  record Mapping(String path, Map<String, Object> value, String pointer, Set<String> declared) {}

  /** Walks documents along a schema: which object schemas apply to each mapping. */
  static final class Walker {
    private final JsonNode root;
    private final Map<JsonNode, String> pointers = new IdentityHashMap<>();

    Walker(JsonNode root) {
      this.root = root;
      index(root, "#");
    }

    /** The pointer of every schema object that closes a mapping, with the keys it declares. */
    Map<String, Set<String>> closedObjects() {
      Map<String, Set<String>> out = new LinkedHashMap<>();
      pointers.forEach(
          (node, pointer) -> {
            if (node.path("additionalProperties").isBoolean()
                && !node.path("additionalProperties").asBoolean()) {
              Set<String> keys = new LinkedHashSet<>();
              node.path("properties").fieldNames().forEachRemaining(keys::add);
              out.put(pointer, keys);
            }
          });
      return out;
    }

    /** Every mapping of {@code document}, the document first. */
    List<Mapping> mappings(Object document) {
      List<Mapping> out = new ArrayList<>();
      walk(List.of(root), document, "", out);
      return out;
    }

    @SuppressWarnings("unchecked")
    private void walk(List<JsonNode> schemas, Object value, String path, List<Mapping> out) {
      List<JsonNode> parts = new ArrayList<>();
      schemas.forEach(s -> applicable(s, value, parts));
      if (value instanceof Map<?, ?> map) {
        String pointer = null;
        Set<String> declared = new LinkedHashSet<>();
        for (JsonNode p : parts) {
          p.path("properties").fieldNames().forEachRemaining(declared::add);
          if (pointer == null && p.path("additionalProperties").isBoolean()) {
            pointer = pointers.get(p);
          }
        }
        out.add(new Mapping(path, (Map<String, Object>) map, pointer, declared));
        map.forEach(
            (k, v) -> {
              List<JsonNode> child = new ArrayList<>();
              for (JsonNode p : parts) {
                if (p.path("properties").has(String.valueOf(k))) {
                  child.add(p.path("properties").path(String.valueOf(k)));
                } else if (p.path("additionalProperties").isObject()) {
                  child.add(p.path("additionalProperties"));
                }
              }
              walk(child, v, path.isEmpty() ? String.valueOf(k) : path + "." + k, out);
            });
      } else if (value instanceof List<?> list) {
        for (int i = 0; i < list.size(); i++) {
          List<JsonNode> items = new ArrayList<>();
          for (JsonNode p : parts) {
            if (p.has("items")) {
              items.add(p.path("items"));
            }
          }
          walk(items, list.get(i), path + "[" + i + "]", out);
        }
      }
    }

    /** {@code schema} and what it brings in for {@code value}: $ref, allOf, anyOf, if-then. */
    private void applicable(JsonNode schema, Object value, List<JsonNode> out) {
      if (schema.has("$ref")) {
        String ref = schema.path("$ref").asText();
        applicable(root.at(ref.substring(1)), value, out);
      }
      out.add(schema);
      schema.path("allOf").forEach(s -> applicable(s, value, out));
      for (String any : List.of("anyOf", "oneOf")) {
        schema.path(any).forEach(s -> applicable(s, value, out));
      }
      if (schema.has("if") && holds(schema.path("if"), value)) {
        applicable(schema.path("then"), value, out);
      }
    }

    // The conditions the schemas use: a key present with a constant or one of some values.
    private static boolean holds(JsonNode condition, Object value) {
      if (!(value instanceof Map<?, ?> map)) {
        return false;
      }
      for (JsonNode key : condition.path("required")) {
        if (!map.containsKey(key.asText())) {
          return false;
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = condition.path("properties").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        Object v = map.get(e.getKey());
        JsonNode c = e.getValue();
        if (c.has("const") && !c.path("const").asText().equals(String.valueOf(v))) {
          return false;
        }
        if (c.has("enum")) {
          boolean any = false;
          for (JsonNode x : c.path("enum")) {
            any |= x.asText().equals(String.valueOf(v));
          }
          if (!any) {
            return false;
          }
        }
      }
      return true;
    }

    private void index(JsonNode node, String pointer) {
      if (node.isObject()) {
        pointers.put(node, pointer);
        node.fields()
            .forEachRemaining(
                e -> {
                  if (!e.getKey().equals("if")) {
                    index(e.getValue(), pointer + "/" + e.getKey());
                  }
                });
      } else if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          index(node.get(i), pointer + "/" + i);
        }
      }
    }
  }
}
