package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.time.Clock;
import dev.paritysync.sim.SimConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import picocli.CommandLine;

/**
 * The royalty and cluster pages in a real headless Chromium against a real {@code serve} on SQLite:
 * two deliveries of a report and a drift check are recorded in serve's database by the CLI ({@code
 * paritysync royalty ingest|drift --db}, as an operator would, while serve runs); the royalty page
 * shows the deliveries (one replaced, saying by what), the dead-lettered rows grouped by field and
 * reason, a group's rows with their raw line, and the drift check; the cluster page says serve is
 * one process. The console stays free of errors. Skipped, saying why, without Chromium.
 *
 * <p>With {@code -Dui.screenshots=DIR} it saves {@code royalty} (and its phone-width picture) into
 * {@code DIR}: the demo, whose end {@link UiDemoTourTest} pictures the other pages at, has no
 * royalty data.
 */
class UiBrowserRoyaltyTest {
  private static final String HEADER =
      "Sale Month,Store,Artist,Title,ISRC,UPC,Quantity,Country of Sale,Earnings (USD)\n";

  @TempDir Path dir;
  private UiBrowser ui;

  @BeforeEach
  void requireChromium() {
    UiBrowser.requireChromium();
  }

  @AfterEach
  void stop() throws Exception {
    if (ui != null) {
      ui.close();
    }
  }

  @Test
  void royaltyDeliveriesDeadLetterGroupsDriftAndTheClusterPage() throws Exception {
    ui = UiBrowser.start(dir, SimConfig.healthy(1));
    Path db = dir.resolve("serve.db");
    Path lake = dir.resolve("lake");
    deliverTwoFilesACatalogAndADriftReport(db, lake);

    ui.logIn();
    ui.browser.findElement(By.linkText("Royalty")).click();
    ui.wait.until(ExpectedConditions.urlToBe(ui.base.resolve("/ui/royalty").toString()));

    List<WebElement> deliveries = ui.browser.findElements(By.cssSelector("#deliveries tbody tr"));
    assertThat(deliveries).hasSize(2);
    assertThat(deliveries.get(0).getText()).contains("sales", "distributor", "file", "complete");
    assertThat(deliveries.get(1).getText()).contains("replaced", "by sales-2024-03.csv (file");
    List<WebElement> groups = ui.browser.findElements(By.cssSelector("#groups tbody tr"));
    assertThat(groups).extracting(WebElement::getText).anyMatch(t -> t.contains("isrc"));
    assertThat(ui.text("#groups")).contains("quantity", "amount").doesNotContain("BAD");
    assertThat(ui.text("#drift ~ section h3")).isEqualTo("2024-03: 1 finding in 2 rows");
    ui.screenshot("royalty");

    WebElement isrc =
        groups.stream()
            .filter(r -> r.getText().startsWith("isrc"))
            .findFirst()
            .orElseThrow()
            .findElement(By.tagName("a"));
    assertThat(isrc.getText()).isEqualTo("2 rows");
    isrc.click();
    ui.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("rows")));
    assertThat(ui.text("#rows")).contains("2024-03,S,A,T,NOPE,,1,US,0.10", "US-SM1-98-0303X");

    ui.browser.findElement(By.linkText("Cluster")).click();
    ui.wait.until(ExpectedConditions.urlToBe(ui.base.resolve("/ui/cluster").toString()));
    assertThat(ui.text("#one-process"))
        .startsWith("This serve runs on SQLite: one process, not a cluster.");
    assertThat(ui.text("#workers-count")).isEqualTo("1 alive, 0 not alive.");

    assertThat(ui.errors()).as("the console").isEmpty();
  }

  /**
   * Through the CLI, as an operator would: a first delivery of sales-2024-03.csv, a second one that
   * replaces it (one good row, one in GB, five dead-lettered in two groups), a catalog knowing one
   * ISRC, and the drift report for 2024-03.
   */
  private void deliverTwoFilesACatalogAndADriftReport(Path db, Path lake) throws Exception {
    cli(
        "royalty",
        "ingest",
        write(
                "first",
                "sales-2024-03.csv",
                HEADER
                    + "2024-03,S,A,T,USSM19803037,,1,US,0.10\n"
                    + "2024-03,S,A,T,BAD,,1,US,0.10\n")
            .toString(),
        "--source",
        "distributor",
        "--db",
        db.toString(),
        "--lake",
        lake.toString());
    cli(
        "royalty",
        "ingest",
        write(
                "second",
                "sales-2024-03.csv",
                HEADER
                    + "2024-03,S,A,T,USSM19803037,,1,US,0.10\n"
                    + "2024-03,S,A,T,GBAYE0601498,,3,GB,0.30\n"
                    + "2024-03,S,A,T,US-SM1-98-0303X,,1,US,0.10\n"
                    + "2024-03,S,A,T,NOPE,,1,US,0.10\n"
                    + "2024-03,S,A,T,USSM19803037,,lots,US,0.10\n"
                    + "2024-03,S,A,T,USSM19803037,,1,US,ten cents\n")
            .toString(),
        "--source",
        "distributor",
        "--db",
        db.toString(),
        "--lake",
        lake.toString());
    cli(
        "royalty",
        "catalog",
        "load",
        write("cat", "catalog.csv", "isrc,upc,title,artist\nUSSM19803037,,T,A\n").toString(),
        "--lake",
        lake.toString());
    cli(
        "royalty",
        "drift",
        "--lake",
        lake.toString(),
        "--period",
        "2024-03",
        "--out",
        dir.resolve("reports").toString(),
        "--db",
        db.toString());
  }

  private Path write(String sub, String name, String body) throws Exception {
    Path file = Files.createDirectories(dir.resolve(sub)).resolve(name);
    Files.writeString(file, body, StandardCharsets.UTF_8);
    return file;
  }

  /** Runs {@code paritysync args} in this JVM; it must exit 0. */
  private static void cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine(Clock.system());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    assertThat(cl.execute(args)).as(String.join(" ", args) + "\n" + out + err).isZero();
  }
}
