package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.CellValue;
import dev.paritysync.sim.SimConfig;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The reconciliation pages end to end in a real headless Chromium against a real {@code serve}
 * delivering to a simulated channel, configured to hold every drift for review ({@code
 * reconciliation.autoCorrect.maxCells: 0}): a rate reaches the channel, the channel is changed
 * behind the engine's back, a pass run from the UI's form finds the cell and holds it, the heat map
 * and the drift table say so, approving from the UI re-pushes it (the report turns approved, the
 * admin API agrees, and the channel holds truth's rate again). The console stays free of errors.
 * Skipped, saying why, where Chromium is absent; under {@code CI=true} its absence fails instead.
 *
 * <p>It takes no screenshot: {@link UiDemoTourTest} takes the reports' and a report's at the end of
 * a demo run.
 */
class UiBrowserReconciliationTest {
  /** {@link UiBrowser#CONFIG} with every drift held for review. */
  static final String CONFIG = UiBrowser.CONFIG + "reconciliation:\n  autoCorrect: {maxCells: 0}\n";

  @TempDir Path dir;
  private UiBrowser ui;
  private ChromeDriver browser;
  private WebDriverWait wait;

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
  void runAPassFromTheUiSeeHeldDriftApproveItAndSeeTheReportChange() throws Exception {
    ui = UiBrowser.start(dir, SimConfig.healthy(1), CONFIG);
    browser = ui.browser;
    wait = ui.wait;
    ui.logIn();

    // A rate reaches the channel; then the channel is edited behind the engine's back.
    LocalDate first = LocalDate.now(ZoneOffset.UTC).plusDays(3);
    ui.postChange("ui-recon-1", first, 3, "99.00");
    wait.until(
        d -> ui.text("tr[data-channel='a'] td[data-count='parity'] .note").equals("3 of 3 cells"));
    CellKey edited = new CellKey("D1", "R1", first.plusDays(1));
    ui.sim.overwrite(
        "P1",
        edited,
        new CellValue(new BigDecimal("75.00"), "EUR", null, null, null, null, null, null));

    // The reconciliation page, by its nav link: no report yet; run a pass for channel a.
    browser.findElement(By.linkText("Reconciliation")).click();
    wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Reconciliation"));
    assertThat(browser.findElement(By.id("empty")).getText())
        .isEqualTo("No reconciliation report yet.");
    new Select(browser.findElement(By.id("run-channel"))).selectByValue("a");
    new Select(browser.findElement(By.id("run-property"))).selectByValue("P1");
    assertThat(browser.findElement(By.id("run-from")).getAttribute("value"))
        .isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
    browser.findElement(By.id("run-now")).click();
    wait.until(ExpectedConditions.urlContains("?ran=1"));
    String url = browser.getCurrentUrl();
    String id = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));

    // The report: held for review, the edited cell in the table and on the heat map.
    assertThat(browser.findElement(By.id("notice")).getText())
        .isEqualTo("Ran the pass: held for review.");
    assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("◆held for review");
    assertThat(browser.findElement(By.id("held")).getText()).isEqualTo("1 cell(s)");
    String cell = "a/DBL/BAR/" + edited.date();
    WebElement row = browser.findElement(By.cssSelector("tr[data-cell='" + cell + "']"));
    assertThat(row.getText())
        .contains("rate 99.00 EUR", "rate 75.00 EUR", "unknown value", "held for review");
    WebElement square =
        browser.findElement(By.cssSelector(".recon-sq[data-date='" + edited.date() + "']"));
    assertThat(square.getAttribute("class")).contains("recon-unknown");
    assertThat(square.getAttribute("aria-label")).isEqualTo(edited.date() + ": 1 unknown value");
    assertThat(browser.findElements(By.cssSelector(".recon-sq[tabindex='0']")))
        .as("only the square with something to say takes focus")
        .hasSize(1);
    ((JavascriptExecutor) browser).executeScript("arguments[0].focus()", square);
    assertThat(browser.switchTo().activeElement().getAttribute("data-tip"))
        .isEqualTo(edited.date() + ": 1 unknown value");
    assertThat(ui.errors()).as("console errors on the report").isEmpty();

    // Approve: re-pushed, the report changes, and the channel holds truth again.
    browser.findElement(By.cssSelector("#approve button[type=submit]")).click();
    wait.until(ExpectedConditions.urlContains("?approved=1"));
    assertThat(browser.findElement(By.id("notice")).getText())
        .isEqualTo("Approved: 1 cell(s) re-pushed; the ledger records web-ui as who approved.");
    assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("✓approved, re-pushed");
    assertThat(browser.findElements(By.id("approve"))).isEmpty();
    assertThat(
            browser
                .findElement(By.cssSelector("tr[data-cell='" + cell + "'] [data-outcome]"))
                .getText())
        .isEqualTo("repaired: re-pushed on approval");
    assertThat(ui.admin("/admin/v1/reconciliations/" + id)).contains("\"status\" : \"APPROVED\"");
    wait.until(d -> new BigDecimal("99.00").compareTo(ui.sim.state("P1").get(edited).rate()) == 0);

    // The list: the report, approved, with its counts and nothing held any more.
    browser.findElement(By.linkText("All reports")).click();
    wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Reconciliation"));
    List<WebElement> reports = browser.findElements(By.cssSelector("tr[data-report]"));
    assertThat(reports).hasSize(1);
    assertThat(reports.get(0).getAttribute("data-report")).isEqualTo(id);
    assertThat(reports.get(0).getText())
        .contains("approved, re-pushed", "1 unknown value", "a · P1");
    assertThat(reports.get(0).findElement(By.cssSelector("[data-held]")).getText()).isEqualTo("0");
    assertThat(ui.errors()).as("console errors on the list").isEmpty();
  }
}
