package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.sim.SimConfig;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The live overview in a real headless Chromium against a real {@code serve} whose simulated
 * channel has two quota windows: the page connects to {@code /ui/live} over server-sent events
 * (htmx's SSE extension), and after a posted change its counts, parity, requests per minute, quota,
 * last success and change-to-acknowledgement latency change without a reload; the console stays
 * free of errors. Skipped like {@link UiBrowserTest} where Chromium is absent.
 *
 * <p>It takes no screenshot: {@link UiDemoTourTest} takes the overview's at the end of a demo run.
 */
class UiBrowserLiveTest {
  private static final String MAPPING = "    mapping: {rooms: {DBL: D1}, ratePlans: {BAR: R1}}\n";

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
  void theOverviewIsLiveOverServerSentEvents() throws Exception {
    String config =
        UiBrowser.CONFIG.replace(
            MAPPING, MAPPING + "    resilience: {quotas: {ari: [\"10/1s\", \"1000/1h\"]}}\n");
    ui = UiBrowser.start(dir, SimConfig.healthy(1), config);
    ChromeDriver browser = ui.browser;
    ui.logIn();
    WebElement heading = browser.findElement(By.tagName("h1"));
    assertThat(heading.getText()).isEqualTo("Channels at a glance");
    WebElement live = browser.findElement(By.cssSelector("div#live[hx-ext='sse']"));
    assertThat(live.getAttribute("sse-connect")).isEqualTo("/ui/live");
    assertThat(browser.findElements(By.cssSelector("[hx-get], [hx-trigger]")))
        .as("nothing polls")
        .isEmpty();
    // The stream's first event swaps the table in: the page is connected.
    WebElement first = browser.findElement(By.id("channels"));
    ui.wait.until(d -> stale(first));
    assertThat(ui.text("tr[data-channel='a'] td[data-count='rpm'] [data-rpm]")).isEqualTo("0");
    assertThat(ui.text("tr[data-channel='a'] [data-quota='ari 10/1s']"))
        .isEqualTo("ari 10/1s\n0 used, 10 left\nnot used yet");
    assertThat(ui.text("tr[data-channel='a'] [data-last-success]")).isEqualTo("never");

    // A change: delivered, and every number follows without a reload.
    WebElement before = browser.findElement(By.id("channels"));
    ui.postChange("ui-live-1", LocalDate.now(ZoneOffset.UTC).plusDays(3), 3, "99.00");
    ui.wait.until(d -> parity().equals("3 of 3 cells"));
    ui.wait.until(d -> !text("[data-p50]").equals("–"));
    assertThat(heading.getText()).as("the page was not reloaded").isEqualTo("Channels at a glance");
    assertThat(stale(before)).as("the table was swapped in from the stream").isTrue();
    assertThat(text("td[data-count='parity']")).contains("100.00 %");
    assertThat(text("td[data-count='pending']")).isEqualTo("0");
    assertThat(text("[data-rpm]")).isEqualTo("1");
    assertThat(text("[data-quota='ari 1000/1h']"))
        .isEqualTo("ari 1000/1h\n1 used, 999 left\nproperty P1");
    assertThat(text("[data-last-success]")).contains("UTC");
    assertThat(text("[data-p95]")).matches("\\d+ ms|\\d+\\.\\d s");
    assertThat(text("td[data-count='rpm'] .note")).isEqualTo("last hour: 1");
    assertThat(browser.findElement(By.cssSelector("tr[data-channel='a'] svg.spark polyline")))
        .isNotNull();
    assertThat(ui.errors()).as("console errors on the live overview").isEmpty();
  }

  private String parity() {
    return text("td[data-count='parity'] .note");
  }

  private String text(String css) {
    return ui.text("tr[data-channel='a'] " + css);
  }

  private static boolean stale(WebElement e) {
    try {
      e.isDisplayed();
      return false;
    } catch (StaleElementReferenceException gone) {
      return true;
    }
  }
}
