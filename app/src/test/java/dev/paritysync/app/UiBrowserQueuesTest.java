package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.sim.SimConfig;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The queue pages end to end in a real headless Chromium against a real {@code serve} delivering to
 * a simulated channel that refuses rates under 50.00 (dead letters) and answers 409 for one night
 * (a reconciliation item): log in, filter the dead letters, open one's evidence, bulk replay what
 * the filter selects after confirming the count, see the replays in the item's ledger trail with
 * who did them, discard the reconciliation item with a reason; the console stays free of errors.
 *
 * <p>It takes no screenshot: {@link UiDemoTourTest} takes the dead letters' and an item's at the
 * end of a demo run.
 */
class UiBrowserQueuesTest {
  private static final Pattern ID = Pattern.compile("\"id\" : \"([0-9A-Z]{26})\"");

  @TempDir Path dir;
  private UiBrowser ui;
  private ChromeDriver browser;

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
  void filterOpenTheEvidenceBulkReplayAndSeeTheLedger() throws Exception {
    LocalDate night = LocalDate.now(ZoneOffset.UTC).plusDays(10);
    LocalDate conflictNight = night.plusDays(20);
    ui =
        UiBrowser.start(
            dir,
            SimConfig.healthy(1).toBuilder()
                .withRateFloor(new BigDecimal("50"))
                .withConflictCell("P1/D1/R1/" + conflictNight)
                .build());
    browser = ui.browser;
    ui.logIn();

    List<String> dead = parkThreeDeadLettersAndAConflict(night, conflictNight);

    browser.findElement(By.linkText("Dead letters")).click();
    ui.wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Dead letters"));
    assertThat(rows()).hasSize(3);

    // Filter by the reason's text: the two rates starting with 1; the filter is in the URL.
    browser.findElement(By.id("reason")).sendKeys("rate 1");
    browser.findElement(By.id("apply")).click();
    ui.wait.until(ExpectedConditions.urlContains("reason=rate+1"));
    assertThat(rows())
        .extracting(r -> r.getAttribute("data-item"))
        .containsExactly(dead.get(0), dead.get(2));
    assertThat(browser.findElement(By.id("filtered")).getText())
        .contains("reason containing \"rate 1\"");

    openAndCheckTheEvidenceOf(dead.get(0));

    // Back to the filtered list, then bulk replay: the count first, then the confirmation.
    browser.findElement(By.id("back")).click();
    ui.wait.until(ExpectedConditions.urlContains("reason=rate+1"));
    browser.findElement(By.id("bulk")).click();
    ui.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("count")));
    assertThat(browser.findElement(By.id("count")).getText())
        .contains("This replays 2 open dead letter(s) holding 3 cell(s)");
    browser.findElement(By.id("confirm")).click();
    ui.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("notice")));
    assertThat(browser.findElement(By.id("notice")).getText())
        .isEqualTo("Replayed 2 item(s): 3 cell(s) pending again. The ledger has each, by web-ui.");
    assertThat(browser.getCurrentUrl()).contains("reason=rate+1");

    // The ledger trail says who replayed it; the item not selected stays open.
    browser.get(ui.base.resolve("/ui/items/" + dead.get(2)).toString());
    WebElement replayed =
        ui.wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#ledger tr[data-kind='queue.replayed']")));
    assertThat(replayed.getText()).contains("web-ui");
    assertThat(browser.findElement(By.id("state")).getText()).isEqualTo("↻ replayed");
    assertThat(ui.admin("/admin/v1/items/" + dead.get(1))).contains("\"state\" : \"open\"");

    // The reconciliation item: its tab, its page, discarded there with a reason.
    browser.findElement(By.linkText("Reconciliation items")).click();
    ui.wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Reconciliation items"));
    assertThat(rows()).hasSize(1);
    rows().get(0).findElement(By.cssSelector("a.evidence")).click();
    ui.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("discard-reason")));
    browser.findElement(By.id("discard-reason")).sendKeys("the channel's rate is right");
    browser.findElement(By.cssSelector(".item-actions button.discard")).click();
    ui.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("notice")));
    assertThat(browser.findElement(By.id("state")).getText()).isEqualTo("✕ discarded");
    assertThat(
            browser
                .findElement(By.cssSelector("#ledger tr[data-kind='queue.discarded']"))
                .getText())
        .contains("web-ui", "the channel's rate is right");
    assertThat(ui.errors()).as("console errors on the queue pages").isEmpty();
  }

  /** Parks three dead letters and one reconciliation item; returns the dead letters' ids. */
  private List<String> parkThreeDeadLettersAndAConflict(LocalDate night, LocalDate conflictNight)
      throws Exception {
    // Three rates under the floor, each parked before the next is sent (changes sent together
    // would go in one batch): three dead letters; and a night the channel holds otherwise.
    ui.postChange("queues-1", night, 1, "10.00");
    ui.wait.until(d -> ids("/admin/v1/items?kind=dead-letter").size() == 1);
    ui.postChange("queues-2", night.plusDays(2), 1, "20.00");
    ui.wait.until(d -> ids("/admin/v1/items?kind=dead-letter").size() == 2);
    ui.postChange("queues-3", night.plusDays(4), 2, "15.00");
    ui.wait.until(d -> ids("/admin/v1/items?kind=dead-letter").size() == 3);
    ui.postChange("queues-4", conflictNight, 1, "90.00");
    ui.wait.until(d -> ids("/admin/v1/items?kind=reconciliation").size() == 1);
    return ids("/admin/v1/items?kind=dead-letter");
  }

  /** Opens the first listed item's evidence page: it must be the dead letter {@code deadId}. */
  private void openAndCheckTheEvidenceOf(String deadId) {
    // An item's evidence: reason, the request and response the engine recorded, the ledger.
    rows().get(0).findElement(By.cssSelector("a.evidence")).click();
    ui.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("ledger")));
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Dead letter " + deadId);
    assertThat(browser.findElement(By.id("reason-text")).getText())
        .contains("rate 10.00 is below the floor 50");
    assertThat(browser.findElement(By.id("request")).getText()).contains("\"rate\":\"10.00\"");
    assertThat(browser.findElement(By.id("response")).getText()).contains("below the floor 50");
    assertThat(browser.findElements(By.cssSelector("#ledger tr[data-kind='queue.entered']")))
        .hasSize(1);
    assertThat(ui.errors()).as("console errors on the evidence page").isEmpty();
  }

  private List<WebElement> rows() {
    return browser.findElements(By.cssSelector("tr[data-item]"));
  }

  /** The ids of the open items the admin API lists at {@code path}, oldest first. */
  private List<String> ids(String path) {
    try {
      Matcher m = ID.matcher(ui.admin(path));
      return m.results().map(r -> r.group(1)).toList();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
