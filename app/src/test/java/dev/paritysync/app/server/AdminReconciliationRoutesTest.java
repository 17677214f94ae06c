package dev.paritysync.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.CellValue;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation over the admin API on real HTTP on loopback ({@link AdminRoutesFixture}): a run
 * that finds drift, its report as JSON, CSV and HTML, approval that repushes it, and input errors
 * that name the field.
 */
class AdminReconciliationRoutesTest extends AdminRoutesFixture {
  @Test
  void aReconciliationRunOverTheApiFindsDriftAndApprovalPushesIt() throws Exception {
    push(rate(1, 3, "90.00"));
    CellKey day2 = new CellKey("D1", "R1", TODAY.plusDays(2));
    sim.overwrite(
        "P1",
        day2,
        new CellValue(new BigDecimal("70.00"), "EUR", null, null, null, null, null, null));

    HttpResponse<String> created =
        send(
            "POST",
            "/admin/v1/reconciliations",
            TOKEN,
            "{\"channel\": \"a\", \"property\": \"P1\", \"from\": \"2026-03-02\","
                + " \"to\": \"2026-03-04\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode report = json.readTree(created.body());
    String id = report.get("id").asText();
    assertThat(created.headers().firstValue("Location"))
        .hasValue("/admin/v1/reconciliations/" + id);
    assertThat(report.get("status").asText()).isEqualTo("REVIEW");
    assertThat(report.at("/groups/0/compared").asInt()).isEqualTo(3);
    assertThat(report.at("/groups/0/counts/UNKNOWN_VALUE").asInt()).isEqualTo(1);
    assertThat(report.at("/groups/0/driftPercent").asDouble()).isEqualTo(33.33);
    assertThat(pending()).isZero();

    assertThat(get("/admin/v1/reconciliations/" + id).get("id").asText()).isEqualTo(id);
    HttpResponse<String> csv =
        send("GET", "/admin/v1/reconciliations/" + id + "?format=csv", TOKEN, null);
    assertThat(csv.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
    assertThat(csv.body())
        .contains(
            id + ",a,P1,REVIEW,UNKNOWN_VALUE,DBL,BAR,2026-03-03,1,rate 90.00 EUR,rate 70.00 EUR");
    HttpResponse<String> html =
        send("GET", "/admin/v1/reconciliations/" + id + "?format=html", TOKEN, null);
    assertThat(html.body()).contains("class=\"heatmap\"");
    problem(400, "GET", "/admin/v1/reconciliations/" + id + "?format=pdf", null);
    problem(404, "GET", "/admin/v1/reconciliations/nope", null);

    JsonNode approved = post("/admin/v1/reconciliations/" + id + "/approve", "{\"by\": \"rm\"}");
    assertThat(approved.get("status").asText()).isEqualTo("APPROVED");
    assertThat(approved.at("/groups/0/repushed").asInt()).isEqualTo(1);
    assertThat(pending()).isEqualTo(1);
    engine.step("a");
    assertThat(sim.state("P1").get(day2).rate()).isEqualByComparingTo("90.00");
    assertThat(
            problem(409, "POST", "/admin/v1/reconciliations/" + id + "/approve", null)
                .get("detail")
                .asText())
        .isEqualTo("reconciliation report " + id + " is APPROVED, not waiting for review");
  }

  @Test
  void badReconciliationInputNamesTheField() throws Exception {
    assertThat(
            problem(400, "POST", "/admin/v1/reconciliations", "{\"from\": \"March\"}")
                .get("detail")
                .asText())
        .isEqualTo("from: 'March' is not a date (yyyy-MM-dd)");
    assertThat(
            problem(400, "POST", "/admin/v1/reconciliations", "{\"channel\": \"zz\"}")
                .at("/errors/0/path")
                .asText())
        .isEqualTo("channel");
    assertThat(
            problem(400, "POST", "/admin/v1/reconciliations", "{\"property\": \"P9\"}")
                .get("detail")
                .asText())
        .isEqualTo("property P9: not in the portfolio; properties: [P1]");
    assertThat(
            problem(
                    400,
                    "POST",
                    "/admin/v1/reconciliations",
                    "{\"from\": \"2026-03-05\", \"to\": \"2026-03-01\"}")
                .at("/errors/0/path")
                .asText())
        .isEqualTo("to");
    assertThat(
            problem(400, "POST", "/admin/v1/reconciliations", "{\"chanel\": \"a\"}")
                .at("/errors/0/path")
                .asText())
        .isEqualTo("chanel");
  }
}
