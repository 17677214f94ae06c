package dev.paritysync.app.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.paritysync.app.testing.PgSchema;
import dev.paritysync.royalty.Deliveries;
import dev.paritysync.royalty.FileIngest;
import dev.paritysync.royalty.RunMetrics;
import dev.paritysync.royalty.SourceConfig;
import dev.paritysync.royalty.drift.Catalog;
import dev.paritysync.royalty.drift.DriftConfig;
import dev.paritysync.royalty.drift.DriftReport;
import dev.paritysync.royalty.drift.DriftRuns;
import dev.paritysync.royalty.lake.Lake;
import dev.paritysync.royalty.parse.Strictness;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The royalty pages over real HTTP and virtual time, on a real SQLite file into which reports are
 * ingested by the royalty module's own {@link FileIngest} (as {@code paritysync royalty ingest
 * --db} does): the empty state naming the command, deliveries with their state and why, dead
 * letters grouped by field and reason linking to their rows and raw lines, the last drift check
 * kept, the filters and their refusals, paging; and the same on PostgreSQL when {@code
 * PARITYSYNC_PG_URL} names one (skipped without it).
 */
class RoyaltyPagesTest {
  private static final String TOKEN = "royalty-admin-token";
  private static final String HEADER =
      "Sale Month,Store,Artist,Title,ISRC,UPC,Quantity,Country of Sale,Earnings (USD)\n";
  static final String CSV =
      HEADER
          + "2024-03,S,A,T,USSM19803037,,1,US,0.10\n"
          + "2024-03,S,A,T,BAD,,1,US,0.10\n"
          + "2024-03,S,A,T,XX1,,1,US,0.10\n"
          + "2024-03,S,A,T,USSM19803037,,many,US,0.10\n"
          + "2024-04,S,A,T,USSM19803037,,2,GB,0.20\n";

  @TempDir Path dir;
  private UiFixture ui;
  private String cookie;
  private String url;

  @BeforeEach
  void open() {
    open(new UiFixture(dir, TOKEN), "jdbc:sqlite:" + dir.resolve("ui.db"));
  }

  private void open(UiFixture fixture, String url) {
    this.ui = fixture;
    this.url = url;
    cookie = ui.session(TOKEN);
  }

  @AfterEach
  void close() {
    if (ui != null) {
      ui.close();
    }
  }

  @Test
  void withoutRoyaltyTablesThePageSaysSoAndNamesTheCommand() {
    HttpResponse<String> page = ui.get("/ui/royalty", cookie);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains(
            "id=\"absent\"",
            "This database (jdbc:sqlite:" + dir.resolve("ui.db") + ") has no royalty tables yet",
            "paritysync royalty ingest FILE")
        .doesNotContain("id=\"deliveries\"");
    HttpResponse<String> rows = ui.get("/ui/royalty/dead-letters?source=distributor", cookie);
    assertThat(rows.statusCode()).isEqualTo(404);
    assertThat(rows.body()).contains("no royalty tables", "paritysync royalty ingest");
    assertThat(page.body()).contains("<a href=\"/ui/royalty\">Royalty</a>");
  }

  @Test
  void tablesPresentButNoDeliveryForTheSourceSaySoToo() throws IOException {
    ingest("distributor", "in", "sales.csv", CSV);

    HttpResponse<String> page = ui.get("/ui/royalty?source=label", cookie);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains(
            "No delivery recorded for source label.", "No open dead-lettered row for source label.")
        .doesNotContain("id=\"absent\"");
  }

  @Test
  void listsADeliveryAndItsDeadLettersGroupedByFieldAndReasonWithTheirRawLines()
      throws IOException {
    ingest("distributor", "in", "sales.csv", CSV);
    ui.time.advance(Duration.ofMinutes(5));

    HttpResponse<String> page = ui.get("/ui/royalty", cookie);

    assertThat(page.statusCode()).isEqualTo(200);
    String body = page.body();
    assertThat(body)
        .contains(
            "<code>sales</code><br><span class=\"note\">as sales.csv</span>",
            "data-label=\"Route\">file<",
            "data-label=\"Valid\">2<",
            "data-label=\"Dead\">3<",
            "data-label=\"Rejected\">60.00%<",
            "<span class=\"sym\" aria-hidden=\"true\">●</span>complete",
            "datetime=\"2026-03-01T00:00:00Z\">5 min ago<");
    // ISRC 'BAD' and ISRC 'XX1' fail the same way: one group of two
    Matcher isrc =
        Pattern.compile(
                "<code>isrc</code></th>\\s*<td[^>]*>distributor</td>\\s*<td[^>]*>([^<]*'…'[^<]*)</td>"
                    + "\\s*<td[^>]*><a href=\"([^\"]+)\">2 rows</a>")
            .matcher(body);
    assertThat(isrc.find()).as(body).isTrue();
    assertThat(body).containsPattern("<code>quantity</code></th>[\\s\\S]*?>1 row</a>");

    HttpResponse<String> rows = ui.get(isrc.group(2).replace("&amp;", "&"), cookie);

    assertThat(rows.statusCode()).as(rows.body()).isEqualTo(200);
    assertThat(rows.body())
        .contains(
            "sales.csv:3", "sales.csv:4", "2024-03,S,A,T,BAD,,1,US,0.10", "2024-03,S,A,T,XX1,,1,US")
        .doesNotContain("many");
    assertThat(ui.get("/ui/royalty/dead-letters?source=distributor", cookie).body())
        .as("every field and reason of the source")
        .contains("BAD", "XX1", "many");
  }

  @Test
  void onPostgresqlTheSameTablesAreReadAndTheDriftCheckKept() throws IOException {
    ui.close();
    try (PgSchema schema = PgSchema.open("ui", "the royalty page on PostgreSQL")) {
      open(new UiFixture(TOKEN, schema.url()), schema.url());
      try {
        assertThat(ui.get("/ui/royalty", cookie).body()).contains("has no royalty tables yet");
        ingest("distributor", "in", "sales.csv", CSV);
        Path catalog = dir.resolve("catalog.csv");
        Files.writeString(catalog, "isrc,upc,title,artist\nDEAAA2400001,,T,A\n");
        Catalog.load(catalog, dir.resolve("lake"));
        DriftReport.Written written =
            DriftReport.write(
                dir.resolve("lake"),
                YearMonth.of(2024, 3),
                DriftConfig.defaults(),
                dir.resolve("reports"),
                Set.of(DriftReport.Format.JSON));
        ui.db.inTransaction(
            c -> {
              DriftRuns.record(c, written.summary(), ui.time.instant(), written.files());
              return null;
            });

        String body = ui.get("/ui/royalty", cookie).body();

        assertThat(body)
            .contains(
                "as sales.csv",
                "data-label=\"Rejected\">60.00%<",
                ">2 rows</a>",
                "2024-03: 1 finding in 1 row<",
                "<code>USSM19803037</code>");
        assertThat(
                ui.get("/ui/royalty/dead-letters?source=distributor&field=quantity", cookie).body())
            .contains("sales.csv:5", "2024-03,S,A,T,USSM19803037,,many,US,0.10");
      } finally {
        ui.close();
        ui = null;
      }
    }
  }

  @Test
  void aCorrectedDeliveryReplacesTheFirstAndThePageSaysByWhat() throws IOException {
    ingest("distributor", "first", "sales.csv", CSV);
    ui.time.advance(Duration.ofHours(1));
    ingest(
        "distributor", "second", "sales.csv", HEADER + "2024-03,S,A,T,USSM19803037,,1,US,0.10\n");

    String body = ui.get("/ui/royalty", cookie).body();

    assertThat(body)
        .contains(
            "<span class=\"sym\" aria-hidden=\"true\">○</span>replaced</span><br>"
                + "<span class=\"note\">by sales.csv (file, 2026-03-01T01:00:00Z)</span>",
            "data-label=\"Rejected\">0.00%<")
        .as("the replaced delivery's dead letters are superseded")
        .contains("No open dead-lettered row.");
    assertThat(body.indexOf("0.00%")).isLessThan(body.indexOf("60.00%")); // newest first
  }

  @Test
  void theLastDriftCheckKeptInTheDatabaseIsShownWithItsTopFindings() throws IOException {
    ingest("distributor", "in", "sales.csv", CSV);
    Path lake = dir.resolve("lake");
    Path catalog = dir.resolve("catalog.csv");
    Files.writeString(catalog, "isrc,upc,title,artist\nDEAAA2400001,,T,A\n");
    Catalog.load(catalog, lake);
    DriftReport.Written written =
        DriftReport.write(
            lake,
            YearMonth.of(2024, 3),
            DriftConfig.defaults(),
            dir.resolve("reports"),
            Set.of(DriftReport.Format.CSV));
    ui.db.inTransaction(
        c -> {
          DriftRuns.record(c, written.summary(), ui.time.instant(), written.files());
          return null;
        });

    String body = ui.get("/ui/royalty", cookie).body();

    assertThat(body)
        .contains(
            "2024-03: 1 finding in 1 row<",
            "<li><code>unknown_isrc</code> 1</li>",
            "<li><code>volume_jump</code> 0</li>",
            "<code>USSM19803037</code>",
            "drift-2024-03.csv")
        .doesNotContain("No drift check kept here");
  }

  @Test
  void sharedDsrSamplesAreListedUnderTheirMessageIdAndAnIncompleteOneSaysWhy() throws IOException {
    Path samples =
        Path.of(
            System.getProperty("paritysync.shared", "../../shared"),
            "fixtures",
            "royalty",
            "ddexnet-dsrf");
    assumeTrue(
        Files.isDirectory(samples),
        "shared fixtures absent: " + samples.toAbsolutePath() + " (set -Dparitysync.shared)");
    Path dsr =
        samples.resolve("DSR_TEST_YouTube_AdSupport-music_2015-Q4_IS_1of1_20160121T150926.tsv");
    ingest("dsr", SourceConfig.Format.DSR, dsr);

    // its FOOT says 123 lines; the file has 7: recorded, as incomplete
    ingest(
        "dsr",
        SourceConfig.Format.DSR,
        samples.resolve(
            "DSR_PADPIDA2014999999Z_PADPIDA2014111801Y_AdSupport_2015-02_AU_1of1_20140617T092522.tsv"));

    String body = ui.get("/ui/royalty?source=dsr", cookie).body();

    assertThat(body)
        .contains(
            "<code>1453417766009915/1</code><br><span class=\"note\">as " + dsr.getFileName(),
            "data-label=\"Valid\">6<",
            "<span class=\"sym\" aria-hidden=\"true\">▲</span>incomplete</span><br>"
                + "<span class=\"note\">line 7: FOOT NumberOfLinesInFile says 123 lines in the"
                + " file; the file has 7</span>",
            "data-label=\"Rejected\">–<");
  }

  @Test
  void filtersArePagedAndBoundedAndRefusalsNameTheParameter() throws IOException {
    StringBuilder many = new StringBuilder(HEADER);
    for (int i = 0; i < RoyaltyPages.ROWS + 1; i++) {
      many.append("2024-03,S,A,T,BAD").append(i).append(",,1,US,0.10\n");
    }
    ingest("distributor", "in", "sales.csv", CSV);
    ingest("label", "in2", "label.csv", many.toString());

    String label = ui.get("/ui/royalty?source=label", cookie).body();
    assertThat(label).contains("as label.csv", ">51 rows</a>").doesNotContain("as sales.csv");
    assertThat(label).contains("<option value=\"label\" selected>label</option>");
    assertThat(ui.get("/ui/royalty?page=2", cookie).body())
        .contains("No delivery recorded on page 2.", "id=\"previous\"");

    HttpResponse<String> first = ui.get("/ui/royalty/dead-letters?source=label&field=isrc", cookie);
    assertThat(first.body()).contains("label.csv:2", "label.csv:51").doesNotContain("label.csv:52");
    Matcher next = Pattern.compile("href=\"([^\"]+)\" id=\"next\"").matcher(first.body());
    assertThat(next.find()).isTrue();
    HttpResponse<String> second = ui.get(next.group(1).replace("&amp;", "&"), cookie);
    assertThat(second.body()).contains("label.csv:52").doesNotContain("label.csv:51<");

    assertRefused("/ui/royalty?source=" + "s".repeat(101), "parameter 'source': at most 100");
    assertRefused("/ui/royalty?page=0", "parameter 'page': '0' is not a page number from 1 to");
    assertRefused("/ui/royalty?page=1001", "parameter 'page': '1001'");
    assertRefused("/ui/royalty?page=x", "parameter 'page': 'x'");
    assertRefused("/ui/royalty?source=a&source=b", "parameter 'source' is given more than once");
    assertRefused(
        "/ui/royalty?sort=when", "parameter 'sort' is not one of this page's: page, source");
    assertRefused("/ui/royalty?source=" + "s".repeat(201), "parameter 'source' is longer than 200");
    assertRefused("/ui/royalty/dead-letters", "parameter 'source': give the source");
    assertRefused("/ui/royalty/dead-letters?source=label&field=1x", "parameter 'field': '1x'");
    assertRefused("/ui/royalty/dead-letters?source=label&cursor=a-b", "parameter 'cursor': 'a-b'");
    assertRefused(
        "/ui/royalty/dead-letters?source=label&cursor=01NOSUCHITEM",
        "parameter 'cursor': 01NOSUCHITEM is no dead-lettered row of source label");
    assertRefused("/ui/royalty/dead-letters?source=label&reason=a%0Ab", "parameter 'reason'");
  }

  private void assertRefused(String path, String message) {
    HttpResponse<String> r = ui.get(path, cookie);
    assertThat(r.statusCode()).as(path).isEqualTo(400);
    assertThat(r.body()).as(path).contains(message);
  }

  /**
   * Ingests {@code body} as file {@code name} of {@code source} (a CSV source), as the CLI does.
   */
  private void ingest(String source, String sub, String name, String body) throws IOException {
    Path file = Files.createDirectories(dir.resolve(sub)).resolve(name);
    Files.writeString(file, body, StandardCharsets.UTF_8);
    ingest(source, SourceConfig.Format.CSV, file);
  }

  private void ingest(String source, SourceConfig.Format format, Path file) throws IOException {
    try (Database royalty =
            Database.open(
                DatabaseConfig.builder()
                    .withUrl(url)
                    .withMigrations(Deliveries.MIGRATIONS)
                    .build());
        Lake lake = Lake.open(dir.resolve("lake"))) {
      FileIngest.Outcome outcome =
          new FileIngest(royalty, lake, ui.time, new RunMetrics(new SimpleMeterRegistry()))
              .ingest(
                  file,
                  SourceConfig.defaults(source, format),
                  Strictness.LENIENT,
                  false,
                  w -> {},
                  p -> {});
      assertThat(outcome).isInstanceOf(FileIngest.Ingested.class);
    }
  }
}
