package dev.paritysync.app;

import static dev.paritysync.app.ConfigSchemas.copy;
import static dev.paritysync.app.ConfigSchemas.loaderError;
import static dev.paritysync.app.ConfigSchemas.schema;
import static dev.paritysync.app.ConfigSchemas.schemaErrors;
import static dev.paritysync.app.ConfigSchemas.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import dev.paritysync.app.ConfigSchemas.Kind;
import dev.paritysync.app.ConfigSchemas.Mapping;
import dev.paritysync.app.ConfigSchemas.Walker;
import dev.paritysync.core.classify.FailureKind;
import dev.paritysync.hotel.channel.WebhookConfig;
import dev.paritysync.royalty.SaleType;
import dev.paritysync.royalty.SourceConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The schemas in {@code schema/} cannot drift from the configuration layer. A maximal file per
 * schema ({@code src/test/resources/schema/maximal-*.yaml}) sets every key the schema declares and
 * passes both; then, at every mapping the schema closes, a misspelt key must fail both, and the
 * keys the loader names as known there must be exactly the keys the schema declares — so a key
 * added to the loader and not to the schema (or the other way round, or a whole new section) fails
 * here. A wrong type at every value must fail both too.
 */
class ConfigSchemaDriftTest {
  static final String UNKNOWN = "zzUnknown";

  // "known here: a, b" (ConfigMap), "expected one of a, b" (channel keys, adapter options),
  // "expected a, b or c" (royalty sources)
  private static final Pattern KNOWN =
      Pattern.compile("(?:known here: |unknown key; expected (?:one of )?)([^)]*)\\)?$");

  /**
   * Values the royalty sources loader reads as text whatever they are ({@code String.valueOf}): the
   * schema wants text there. The loader is the royalty module's; until it checks, these are the
   * only places the schema may be stricter than the loader about a value's type.
   */
  private static final Pattern LOADER_READS_ANYTHING_AS_TEXT =
      Pattern.compile("sources\\.[^.]+\\.(columns\\.[A-Za-z]+|dateFormat)");

  @TempDir Path dir;

  private static Object maximal(Kind kind) {
    return yaml(
        ConfigSchemas.ROOT.resolve(
            "app/src/test/resources/schema/maximal-" + kind.name().toLowerCase() + ".yaml"));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void theMaximalFileSetsEveryKeyTheSchemaDeclaresAndPassesBoth(Kind kind) {
    Object document = maximal(kind);
    assertThat(schemaErrors(schema(kind, false), document)).isEmpty();
    assertThat(loaderError(dir, document)).isNull();

    Walker walker = new Walker(ConfigSchemas.tree(kind));
    Map<String, Set<String>> unset = new TreeMap<>();
    walker.closedObjects().forEach((pointer, keys) -> unset.put(pointer, new TreeSet<>(keys)));
    for (Mapping m : walker.mappings(document)) {
      if (m.pointer() != null) {
        unset.get(m.pointer()).removeAll(m.value().keySet());
      }
    }
    unset.values().removeIf(Set::isEmpty);
    assertThat(unset).as("schema keys the maximal file does not set").isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aMisspeltKeyFailsBothAndBothKnowTheSameKeysAtEveryLevel(Kind kind) {
    Object document = maximal(kind);
    Schema schema = schema(kind, false);
    Map<String, Set<String>> declared = new TreeMap<>();
    Map<String, Set<String>> known = new TreeMap<>();
    int probes = 0;
    for (Mapping m : new Walker(ConfigSchemas.tree(kind)).mappings(document)) {
      if (m.pointer() == null) {
        continue; // a map of codes or names: any key goes
      }
      Object wrong = withValue(document, m.path(), UNKNOWN, "x");
      assertThat(schemaErrors(schema, wrong)).as("schema, " + m.path()).isNotEmpty();
      String error = loaderError(dir, wrong);
      assertThat(error).as("loader, " + m.path()).isNotNull().contains(UNKNOWN);
      // a list's row is named "<list>: ... row <i>, key '<key>'"
      assertThat(error).as("loader, " + m.path()).contains(m.path().replaceAll("\\[\\d+]$", ""));
      declared.computeIfAbsent(m.pointer(), p -> new TreeSet<>()).addAll(m.declared());
      known.computeIfAbsent(m.pointer(), p -> new TreeSet<>()).addAll(knownKeys(m.path(), error));
      probes++;
    }
    assertThat(probes).isGreaterThanOrEqualTo(kind == Kind.ENGINE ? 25 : 6);
    assertThat(known).as("keys the loader knows, by schema object").isEqualTo(declared);
  }

  /**
   * A mapping, a list, and text where the file has a number or a boolean: each fails both. Text
   * where the file has text may fail the loader alone (a time zone, a date pattern: values the
   * schema cannot know), never the schema alone.
   */
  @ParameterizedTest
  @EnumSource(Kind.class)
  void aWrongTypeFailsBothAtEveryValue(Kind kind) {
    Object document = maximal(kind);
    Schema schema = schema(kind, false);
    List<String> disagreements = new ArrayList<>();
    int probes = 0;
    for (Mapping m : new Walker(ConfigSchemas.tree(kind)).mappings(document)) {
      for (Map.Entry<String, Object> e : m.value().entrySet()) {
        if (e.getValue() instanceof Map || e.getValue() instanceof List) {
          continue;
        }
        String path = m.path().isEmpty() ? e.getKey() : m.path() + "." + e.getKey();
        boolean text = e.getValue() instanceof String;
        for (Object bad : List.of(Map.of("zz", 1), List.of(1, 2), "zz wrong {")) {
          Object wrong = withValue(document, m.path(), e.getKey(), bad);
          boolean schemaRejects = !schemaErrors(schema, wrong).isEmpty();
          String loader = loaderError(dir, wrong);
          boolean loaderRejects = loader != null;
          boolean lax = LOADER_READS_ANYTHING_AS_TEXT.matcher(path).matches();
          boolean agree =
              schemaRejects == loaderRejects
                  || (text && bad instanceof String && loaderRejects)
                  || (lax && schemaRejects);
          if (!agree) {
            disagreements.add(
                path
                    + " = "
                    + bad
                    + ": schema "
                    + (schemaRejects ? "rejects" : "accepts")
                    + ", loader "
                    + (loaderRejects ? "rejects: " + loader : "accepts"));
          } else if (schemaRejects) {
            probes++;
          }
        }
      }
    }
    assertThat(disagreements).isEmpty();
    assertThat(probes).isGreaterThanOrEqualTo(kind == Kind.ENGINE ? 200 : 40);
  }

  /** Each list of names in the schemas is the code's: adapters, endpoints, strategies, kinds. */
  @Test
  void theSchemasNamesAreTheCodesOwn() {
    JsonNode engine = ConfigSchemas.tree(Kind.ENGINE);
    JsonNode royalty = ConfigSchemas.tree(Kind.ROYALTY);
    Object document = maximal(Kind.ENGINE);

    String adapter = loaderError(dir, withValue(document, "channels.booking", "adapter", UNKNOWN));
    assertThat(names(engine.at("/$defs/channel/properties/adapter/enum")))
        .isEqualTo(listed(adapter, "known: (.*)$"));

    Set<String> endpoints = new TreeSet<>();
    for (String channel : List.of("booking", "channex", "cloudbeds", "ota")) {
      Object wrong =
          withValue(
              document,
              "channels." + channel + ".resilience",
              "quotas",
              Map.of(UNKNOWN, List.of()));
      endpoints.addAll(listed(loaderError(dir, wrong), "its quota endpoints are (.*)$"));
    }
    assertThat(names(engine.at("/$defs/resilience/properties/quotas/propertyNames/enum")))
        .isEqualTo(endpoints);

    Set<String> strategies = new TreeSet<>();
    for (WebhookConfig.Strategy st : WebhookConfig.Strategy.values()) {
      strategies.add(st.code());
    }
    assertThat(names(engine.at("/$defs/webhook/properties/strategy/enum"))).isEqualTo(strategies);
    assertThat(names(engine.at("/$defs/classificationRow/properties/failure/enum")))
        .isEqualTo(bothCases(FailureKind.values()));
    assertThat(names(royalty.at("/properties/sources/additionalProperties/properties/format/enum")))
        .isEqualTo(bothCases(SourceConfig.Format.values()));
    assertThat(
            names(
                royalty.at(
                    "/properties/sources/additionalProperties/properties/saleTypes"
                        + "/additionalProperties/enum")))
        .isEqualTo(bothCases(SaleType.values()));
  }

  private static Set<String> names(JsonNode array) {
    assertThat(array.isArray()).as("a list of names in the schema").isTrue();
    Set<String> out = new TreeSet<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static Set<String> listed(String error, String regex) {
    assertThat(error).isNotNull();
    Matcher m = Pattern.compile(regex).matcher(error);
    assertThat(m.find()).as(error).isTrue();
    Set<String> out = new TreeSet<>();
    for (String k : m.group(1).replace(" and ", ", ").split(",\\s*")) {
      out.add(k.trim());
    }
    return out;
  }

  private static Set<String> bothCases(Enum<?>[] values) {
    Set<String> out = new TreeSet<>();
    for (Enum<?> v : values) {
      out.add(v.name());
      out.add(v.name().toLowerCase(java.util.Locale.ROOT));
    }
    return out;
  }

  /** The keys the loader's unknown-key error names as known at {@code path}. */
  private static Set<String> knownKeys(String path, String error) {
    Matcher m = KNOWN.matcher(error);
    if (!m.find()) {
      if (path.matches("sources\\.[^.]+\\.columns")) {
        // "unknown field": the fields are Field's keys
        Set<String> fields = new LinkedHashSet<>();
        for (dev.paritysync.royalty.Field f : dev.paritysync.royalty.Field.values()) {
          fields.add(f.key());
        }
        return fields;
      }
      throw new AssertionError(path + ": the loader's error names no known keys: " + error);
    }
    Set<String> keys = new LinkedHashSet<>();
    for (String k : m.group(1).replace(" and ", ", ").replace(" or ", ", ").split(",\\s*")) {
      keys.add(k.trim());
    }
    return keys;
  }

  /**
   * A copy of {@code document} with {@code key} of the mapping at {@code path} (made when absent)
   * set to {@code value}.
   */
  @SuppressWarnings("unchecked")
  static Object withValue(Object document, String path, String key, Object value) {
    Object copy = copy(document);
    Object at = copy;
    if (!path.isEmpty()) {
      for (String part : path.split("\\.")) {
        Matcher index = Pattern.compile("(.*)\\[(\\d+)]").matcher(part);
        if (index.matches()) {
          at =
              ((List<Object>) ((Map<String, Object>) at).get(index.group(1)))
                  .get(Integer.parseInt(index.group(2)));
        } else {
          at = ((Map<String, Object>) at).computeIfAbsent(part, k -> new LinkedHashMap<>());
        }
      }
    }
    ((Map<String, Object>) at).put(key, value);
    return copy;
  }
}
