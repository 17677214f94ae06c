package dev.paritysync.app.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's files under {@code ops/}, read from the checkout: Maven runs a module's tests in
 * the module's directory, so the repository is the nearest directory above that has {@code ops/}.
 */
final class OpsFiles {
  static final Path ROOT = root();
  static final Path PROMETHEUS = ROOT.resolve("ops/prometheus");
  static final Path RULES = PROMETHEUS.resolve("alerts.yml");
  static final Path RULE_TESTS = PROMETHEUS.resolve("alerts.test.yml");
  static final Path DASHBOARD = ROOT.resolve("ops/grafana/paritysync.json");
  static final Path RUNBOOKS = ROOT.resolve("docs/runbooks.md");
  static final Path OPERATIONS = ROOT.resolve("docs/operations.md");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private OpsFiles() {}

  /** One alerting rule of alerts.yml. */
  record Alert(
      String name, String expr, Map<String, String> labels, Map<String, String> annotations) {}

  /** One query of the dashboard: its panel's title and the PromQL, Grafana variables and all. */
  record Query(String panel, String expr) {}

  /** Every alerting rule, in file order. */
  static List<Alert> alerts() {
    List<Alert> out = new ArrayList<>();
    for (JsonNode group : yaml(RULES).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("alert")) {
          out.add(
              new Alert(
                  rule.path("alert").asText(),
                  rule.path("expr").asText(),
                  strings(rule.path("labels")),
                  strings(rule.path("annotations"))));
        }
      }
    }
    return out;
  }

  /** Every query of every panel (rows included), in panel order. */
  static List<Query> dashboardQueries() {
    List<Query> out = new ArrayList<>();
    collect(json(DASHBOARD).path("panels"), out);
    return out;
  }

  /** The dashboard's template variables' queries, such as {@code label_values(...)}. */
  static List<String> variableQueries() {
    List<String> out = new ArrayList<>();
    for (JsonNode v : json(DASHBOARD).path("templating").path("list")) {
      if (v.path("type").asText().equals("query")) {
        out.add(v.path("definition").asText());
      }
    }
    return out;
  }

  static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void collect(JsonNode panels, List<Query> out) {
    for (JsonNode p : panels) {
      for (JsonNode t : p.path("targets")) {
        out.add(new Query(p.path("title").asText(), t.path("expr").asText()));
      }
      collect(p.path("panels"), out); // a collapsed row keeps its panels inside
    }
  }

  private static Map<String, String> strings(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("ops/prometheus/alerts.yml"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "no ops/prometheus/alerts.yml in " + Path.of("").toAbsolutePath() + " or above");
  }
}
