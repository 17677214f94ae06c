package dev.paritysync.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.app.testing.PgSchema;
import dev.paritysync.core.quota.QuotaKey;
import dev.paritysync.core.quota.QuotaLimit;
import dev.paritysync.core.quota.Quotas;
import dev.paritysync.store.cluster.Cluster;
import dev.paritysync.store.cluster.SharedQuotas;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster page over real HTTP and virtual time: on PostgreSQL ({@code PARITYSYNC_PG_URL}, a
 * fresh schema; skipped without it) two workers, one stopped, a singleton lease, a shared quota key
 * with its pause and an open circuit, as {@code GET /admin/v1/cluster} reads them; on SQLite the
 * plain statement that serve is one process, not a cluster.
 */
class ClusterPageTest {
  private static final String TOKEN = "cluster-admin-token";
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  @TempDir Path dir;

  @Test
  void onPostgresqlShowsWorkersAliveSharedQuotaAndCircuits() {
    try (PgSchema schema = PgSchema.open("ui", "the cluster page on PostgreSQL");
        UiFixture ui = new UiFixture(TOKEN, schema.url())) {
      Cluster alpha = Cluster.join(ui.db, ui.time, ui.time, "alpha", Duration.ofSeconds(5));
      Cluster beta = Cluster.join(ui.db, ui.time, ui.time, "beta", Duration.ofSeconds(5));
      alpha.leases().tryHold("prune", alpha.workerId(), Duration.ofSeconds(30));
      QuotaKey key = new QuotaKey("cx", "P1", "ari");
      SharedQuotas quotas =
          new SharedQuotas(
              ui.db,
              ui.time,
              Quotas.builder(ui.time)
                  .withLimits("cx", "ari", List.of(QuotaLimit.parse("10/1m")))
                  .build());
      assertThat(quotas.tryTake(key, 3)).isZero();
      quotas.pauseUntil(key, ui.time.instant().plusSeconds(20));
      alpha.circuits().open("cx", "ari", ui.time.instant().plusSeconds(30));
      ui.time.advance(Duration.ofSeconds(2));
      beta.close();

      HttpResponse<String> page = ui.get("/ui/cluster", login(ui));

      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body())
          .doesNotContain("id=\"one-process\"")
          .contains(
              "1 alive, 1 not alive.",
              "<code>" + alpha.workerId() + "</code>",
              "<code>" + beta.workerId() + "</code>",
              "<span class=\"sym\" aria-hidden=\"true\">●</span>alive",
              "<span class=\"sym\" aria-hidden=\"true\">✕</span>dead</span> <span class=\"note\">"
                  + "stopped 2026-03-01T00:00:02Z",
              "<code>prune</code>",
              "data-label=\"Limits\">10/1m<",
              "data-label=\"Available\">7<",
              "until 2026-03-01T00:00:20Z",
              "<span class=\"state bad\"><span class=\"sym\" aria-hidden=\"true\">▲</span>open</span>",
              "data-label=\"Open until\">2026-03-01T00:00:30Z<");
      alpha.close();
    }
  }

  @Test
  void onSqliteSaysItIsOneProcessNotACluster() {
    try (UiFixture ui = new UiFixture(dir, TOKEN)) {
      String cookie = login(ui);

      HttpResponse<String> page = ui.get("/ui/cluster", cookie);

      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body())
          .contains(
              "id=\"one-process\"",
              "This serve runs on SQLite: one process, not a cluster.",
              "0 alive, 0 not alive.",
              "No shared circuit recorded",
              "<a href=\"/ui/cluster\">Cluster</a>");
      HttpResponse<String> bad = ui.get("/ui/cluster?verbose=1", cookie);
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("parameter 'verbose': the cluster page takes no parameters");
      assertThat(ui.get("/ui/cluster", null).statusCode()).as("no session").isEqualTo(303);
    }
  }

  private static String login(UiFixture ui) {
    HttpResponse<String> form = ui.get("/ui/login", null);
    Matcher m = CSRF.matcher(form.body());
    assertThat(m.find()).isTrue();
    HttpResponse<String> in =
        ui.post(
            "/ui/login",
            UiFixture.cookie(form, UiRoutes.LOGIN_COOKIE),
            "csrf=" + m.group(1) + "&token=" + TOKEN);
    return UiFixture.cookie(in, UiRoutes.SESSION_COOKIE);
  }
}
