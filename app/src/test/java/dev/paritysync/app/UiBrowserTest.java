package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.sim.SimConfig;
import java.math.BigDecimal;
import java.net.URI;
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
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI end to end in a real headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}, which {@code .ci/run} installs) against a real {@code serve} delivering to a
 * simulated channel (which refuses rates under 50.00: dead letters): log in, see the channel, see
 * its counts change after a posted change without a reload, replay one dead letter and discard
 * another with a reason (found in the admin API with who did it), a form without its CSRF token
 * refused, log out; the browser's console stays free of errors (a CSP violation would be one).
 * Skipped, saying why, where Chromium is absent; under {@code CI=true} its absence fails instead.
 *
 * <p>It takes no screenshot: the hotel pages' pictures are {@link UiDemoTourTest}'s, taken at the
 * end of a demo run, so that each picture has one taker.
 */
class UiBrowserTest {
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
  void logInWatchTheOverviewChangeLiveAndLogOut() throws Exception {
    ui =
        UiBrowser.start(
            dir, SimConfig.healthy(1).toBuilder().withRateFloor(new BigDecimal("50")).build());
    browser = ui.browser;
    wait = ui.wait;
    URI base = ui.base;

    // Not logged in: to the login form; the token exchanged for a session.
    ui.logIn();
    WebElement heading = browser.findElement(By.tagName("h1"));
    assertThat(heading.getText()).isEqualTo("Channels at a glance");
    assertThat(parity("a")).isEqualTo("0 of 0 cells");
    assertThat(text("tr[data-channel='a'] .state")).isEqualTo("●closed");
    WebElement before = browser.findElement(By.id("channels"));

    // A change posted to the API shows up without a reload: htmx swaps the table in.
    ui.postChange("ui-browser-1", LocalDate.now(ZoneOffset.UTC).plusDays(3), 3, "99.00");
    wait.until(d -> parity("a").equals("3 of 3 cells"));
    assertThat(heading.getText()).as("the page was not reloaded").isEqualTo("Channels at a glance");
    assertThatThrownBy(before::isDisplayed)
        .as("the table was swapped in by htmx")
        .isInstanceOf(StaleElementReferenceException.class);
    assertThat(count("a", "pending")).isEqualTo("0");
    assertThat(count("a", "dead")).isEqualTo("0");
    assertThat(count("a", "parity")).contains("100.00 %");
    assertThat(ui.errors()).as("console errors on the overview").isEmpty();

    // Two rates under the channel's floor become two dead letters, counted live on the overview.
    LocalDate night = LocalDate.now(ZoneOffset.UTC).plusDays(10);
    ui.postChange("ui-browser-2", night, 1, "10.00");
    wait.until(d -> count("a", "dead").equals("1"));
    ui.postChange("ui-browser-3", night.plusDays(2), 1, "20.00");
    wait.until(d -> count("a", "dead").equals("2"));

    replayOneDeadLetterAndDiscardTheOther();

    // A form without its CSRF token is refused with a page saying so; the session survives.
    ((JavascriptExecutor) browser)
        .executeScript(
            "document.querySelector('form[action=\"/ui/logout\"] input[name=csrf]').remove()");
    browser.findElement(By.id("logout")).click();
    wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "403 Forbidden"));
    assertThat(browser.findElement(By.id("problem")).getText())
        .isEqualTo("the form carries no CSRF token (field csrf): send it from a page of this UI");
    assertThat(ui.errors())
        .as("only the refusal itself")
        .allSatisfy(e -> assertThat(e.getMessage()).contains("/ui/logout", "403"));
    browser.get(base.resolve("/ui").toString());
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Channels at a glance");

    // Logging out ends the session: the overview sends to the login form again.
    browser.findElement(By.id("logout")).click();
    wait.until(ExpectedConditions.urlToBe(base.resolve("/ui/login").toString()));
    browser.get(base.resolve("/ui").toString());
    wait.until(ExpectedConditions.urlToBe(base.resolve("/ui/login").toString()));
    assertThat(browser.manage().getCookieNamed("paritysync_ui")).isNull();
    assertThat(ui.errors()).as("console errors after logging out").isEmpty();
  }

  /** On the dead-letter page, with two dead letters listed. */
  private void replayOneDeadLetterAndDiscardTheOther() throws Exception {
    // The dead-letter page: replay one, discard the other with a reason.
    browser.findElement(By.linkText("Dead letters")).click();
    wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Dead letters"));
    List<WebElement> rows = browser.findElements(By.cssSelector("tr[data-item]"));
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).getText()).contains("a", "1");
    String replayed = rows.get(0).getAttribute("data-item");
    String discarded = rows.get(1).getAttribute("data-item");
    rows.get(0).findElement(By.cssSelector("button.replay")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), replayed));
    assertThat(browser.findElement(By.id("notice")).getText())
        .isEqualTo("Replayed " + replayed + ": 1 cell(s) pending again.");
    WebElement row = browser.findElement(By.cssSelector("tr[data-item='" + discarded + "']"));
    row.findElement(By.name("reason")).sendKeys("rate typo in the PMS");
    row.findElement(By.cssSelector("button.discard")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), discarded));
    assertThat(browser.findElements(By.cssSelector("tr[data-item='" + discarded + "']"))).isEmpty();
    String item = ui.admin("/admin/v1/items/" + discarded);
    assertThat(item)
        .contains(
            "\"state\" : \"discarded\"",
            "\"closedReason\" : \"rate typo in the PMS\"",
            "\"by\" : \"web-ui\"");
    assertThat(ui.admin("/admin/v1/items/" + replayed)).contains("\"state\" : \"replayed\"");
    assertThat(ui.errors()).as("console errors on the dead-letter page").isEmpty();
  }

  private String count(String channel, String which) {
    return text("tr[data-channel='" + channel + "'] td[data-count='" + which + "']");
  }

  private String parity(String channel) {
    return text("tr[data-channel='" + channel + "'] td[data-count='parity'] .note");
  }

  private String text(String css) {
    return ui.text(css);
  }
}
