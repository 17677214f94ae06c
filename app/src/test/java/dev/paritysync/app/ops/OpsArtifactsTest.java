package dev.paritysync.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's files in {@code ops/}: promtool accepts the alerting rules and passes their unit
 * tests, those tests make every alert fire and resolve, every alert has a severity and a runbook
 * section, every dashboard query is valid PromQL, and docs/operations.md lists every panel with its
 * queries. (That the metrics they name exist: {@link OpsMetricsExportedTest}.)
 */
class OpsArtifactsTest {
  private static final Pattern HEADING = Pattern.compile("(?m)^##\\s+(.+?)\\s*$");

  @TempDir Path dir;

  @Test
  void promtoolAcceptsTheRules() {
    Promtool.Run run = Promtool.run(OpsFiles.PROMETHEUS, "check", "rules", "alerts.yml");

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).contains("SUCCESS: " + OpsFiles.alerts().size() + " rules found");
  }

  @Test
  void promtoolUnitTestsOfTheRulesPass() {
    Promtool.Run run = Promtool.run(OpsFiles.PROMETHEUS, "test", "rules", "alerts.test.yml");

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).contains("SUCCESS").doesNotContain("FAILED");
  }

  /** In one test of alerts.test.yml: quiet at one time, firing later, resolved later still. */
  @Test
  void theUnitTestsMakeEveryAlertFireAndResolve() {
    Set<String> uncovered = new TreeSet<>();
    for (OpsFiles.Alert alert : OpsFiles.alerts()) {
      boolean covered = false;
      for (JsonNode test : OpsFiles.yaml(OpsFiles.RULE_TESTS).path("tests")) {
        List<long[]> evals = new ArrayList<>(); // {second, alerts expected}
        for (JsonNode e : test.path("alert_rule_test")) {
          if (e.path("alertname").asText().equals(alert.name())) {
            evals.add(
                new long[] {seconds(e.path("eval_time").asText()), e.path("exp_alerts").size()});
          }
        }
        covered |= quietFiringResolved(evals);
      }
      if (!covered) {
        uncovered.add(alert.name());
      }
    }
    assertThat(uncovered).as("alerts with no test quiet, then firing, then resolved").isEmpty();
  }

  @Test
  void everyAlertHasASeverityASummaryAndARunbookSection() {
    String runbooks = OpsFiles.read(OpsFiles.RUNBOOKS);
    Set<String> anchors = new TreeSet<>();
    Matcher h = HEADING.matcher(runbooks);
    while (h.find()) {
      anchors.add(anchor(h.group(1)));
    }
    List<OpsFiles.Alert> alerts = OpsFiles.alerts();
    assertThat(alerts).isNotEmpty();
    for (OpsFiles.Alert a : alerts) {
      assertThat(a.labels().get("severity")).as(a.name()).isIn("warning", "critical");
      assertThat(a.annotations()).as(a.name()).containsKeys("summary", "description");
      assertThat(a.annotations().get("runbook_url"))
          .as(a.name())
          .isEqualTo("docs/runbooks.md#" + a.name().toLowerCase(Locale.ROOT));
      assertThat(anchors).as("sections of docs/runbooks.md").contains(anchor(a.name()));
    }
  }

  /** promtool parses each query as a recording rule, Grafana's variables replaced. */
  @Test
  void everyDashboardQueryIsValidPromQl() throws Exception {
    List<OpsFiles.Query> queries = OpsFiles.dashboardQueries();
    assertThat(queries).isNotEmpty();
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    for (int i = 0; i < queries.size(); i++) {
      String expr =
          queries.get(i).expr().replace("$__rate_interval", "5m").replace("$channel", ".*");
      assertThat(expr).as(queries.get(i).panel()).doesNotContain("$");
      rules
          .append("      - record: dashboard:query")
          .append(i)
          .append("\n        expr: '")
          .append(expr.replace("'", "''"))
          .append("'\n");
    }
    Files.writeString(dir.resolve("dashboard.yml"), rules);

    Promtool.Run run = Promtool.run(dir, "check", "rules", "dashboard.yml");

    assertThat(run.exit()).as(run.output() + "\n" + rules).isZero();
    assertThat(run.output()).contains("SUCCESS: " + queries.size() + " rules found");
  }

  @Test
  void operationsMdListsEveryPanelWithItsQueries() {
    String operations = OpsFiles.read(OpsFiles.OPERATIONS);
    for (OpsFiles.Query q : OpsFiles.dashboardQueries()) {
      assertThat(operations).as("panel title").contains("| " + q.panel() + " |");
      assertThat(operations).as("query of " + q.panel()).contains("`" + q.expr() + "`");
    }
    for (OpsFiles.Alert a : OpsFiles.alerts()) {
      assertThat(operations)
          .as("the row of alert " + a.name())
          .contains(
              "| ["
                  + a.name()
                  + "](runbooks.md#"
                  + a.name().toLowerCase(Locale.ROOT)
                  + ") | `"
                  + a.expr().strip().replaceAll("\\s+", " ")
                  + "` |");
    }
  }

  @Test
  void metricNamesAreReadOutOfPromQl() {
    assertThat(
            PromQl.metricNames(
                "100 * sum by (channel) (rate(a_total{channel=~\"$channel\"}[$__rate_interval]))"
                    + " / on (channel) group_left (x) sum without (reason) (b_total offset 5m)"
                    + " > bool 1e3 unless absent(up{job=\"x\"} == 1)"))
        .containsExactly("a_total", "b_total", "up");
    assertThat(
            PromQl.metricNames(
                "histogram_quantile(0.95, sum by (le, channel) (rate(c_bucket{le!=\"+Inf\"}[10m])))"))
        .containsExactly("c_bucket");
  }

  /** Quiet (no alert expected) at some time, firing later, quiet again later still. */
  private static boolean quietFiringResolved(List<long[]> evals) {
    for (long[] firing : evals) {
      if (firing[1] == 0) {
        continue;
      }
      boolean before = evals.stream().anyMatch(e -> e[1] == 0 && e[0] < firing[0]);
      boolean after = evals.stream().anyMatch(e -> e[1] == 0 && e[0] > firing[0]);
      if (before && after) {
        return true;
      }
    }
    return false;
  }

  /** A promtool duration such as {@code 25m}, {@code 1h30m} or {@code 90s}, in seconds. */
  private static long seconds(String duration) {
    Matcher m = Pattern.compile("(\\d+)([hms])").matcher(duration);
    long seconds = 0;
    int end = 0;
    while (m.find()) {
      assertThat(m.start()).as("duration %s", duration).isEqualTo(end);
      long n = Long.parseLong(m.group(1));
      seconds +=
          switch (m.group(2)) {
            case "h" -> n * 3600;
            case "m" -> n * 60;
            default -> n;
          };
      end = m.end();
    }
    assertThat(end).as("duration %s", duration).isEqualTo(duration.length()).isPositive();
    return seconds;
  }

  /** The anchor GitHub gives a heading: lower case, spaces to dashes, other punctuation dropped. */
  private static String anchor(String heading) {
    return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
  }
}
