package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.time.Clock;
import dev.paritysync.sim.SimConfig;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The parity heat map in a real headless Chromium against a real {@code serve} delivering to a
 * simulated channel: log in, open the map, post a change and see its night's square on channel
 * {@code a} turn to at parity without a reload, open the night and read its cell's truth, what was
 * sent and acknowledged, and its ledger; the console stays free of errors. Skipped, saying why,
 * where Chromium is absent. It takes no screenshot: {@link UiDemoTourTest} takes the heat map's and
 * a night's at the end of a demo run.
 */
class UiBrowserHeatMapTest {
  private static final Pattern ONE_AT_PARITY = Pattern.compile("\"cellsAtParity\"\\s*:\\s*1\\b");

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
  void aPostedChangeTurnsItsSquareToParityLiveAndItsNightShowsTheCell() throws Exception {
    // An idle delivery loop looks at the outbox every 15 s: a change posted just after it ran
    // stays pending for that long, long enough to see.
    ui = UiBrowser.start(dir, SimConfig.healthy(1), UiBrowser.CONFIG + "engine: {tick: 15s}\n");
    ChromeDriver browser = ui.browser;
    ui.logIn();
    LocalDate night = LocalDate.now(ZoneOffset.UTC).plusDays(3);
    String css = "section[data-channel=a] a[data-date='" + night + "']";
    browser.findElement(By.linkText("Parity")).click();
    ui.wait.until(d -> d.getCurrentUrl().endsWith("/ui/parity"));
    assertThat(state(css)).isEqualTo("no-data");
    assertThat(browser.findElement(By.cssSelector(css)).getAttribute("aria-label"))
        .isEqualTo("a P1 " + night + ": no data");

    WebElement heading = browser.findElement(By.tagName("h1"));
    WebElement before = browser.findElement(By.id("parity-map"));

    // The loop's phase: another night's change, sent and acknowledged when the loop runs; then
    // the loop is idle for 15 s (a moment for its last busy run to end).
    ui.postChange("heat-map-0", night.plusDays(10), 1, "98.00");
    long deadline = Clock.system().nanoTime() + UiBrowser.WAIT.toNanos();
    while (!ONE_AT_PARITY.matcher(ui.admin("/admin/v1/channels")).find()) {
      assertThat(Clock.system().nanoTime()).as("delivered within 30 s").isLessThan(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));

    // Without a reload: the map refreshes itself (htmx), pending first, then at parity.
    ui.postChange("heat-map-1", night, 1, "99.00");
    ui.wait.until(d -> state(css).equals("pending"));
    assertThat(text(css)).isEqualTo("…");
    ui.wait.until(d -> state(css).equals("at-parity"));
    assertThat(text(css)).isEqualTo("✓");
    assertThat(browser.findElement(By.cssSelector(css)).getAttribute("title"))
        .isEqualTo(night + ": at parity (1 at parity)");
    assertThat(heading.getText()).as("the page was not reloaded").isEqualTo("Parity by night");
    assertThatThrownBy(before::isDisplayed)
        .as("the map was swapped in by htmx")
        .isInstanceOf(StaleElementReferenceException.class);

    browser.findElement(By.cssSelector(css)).click();
    ui.wait.until(d -> d.getCurrentUrl().endsWith("/ui/parity/a/P1/" + night));
    WebElement cell = browser.findElement(By.cssSelector("section.cell[data-plan=BAR]"));
    assertThat(cell.getAttribute("data-state")).isEqualTo("at-parity");
    assertThat(cell.findElement(By.cssSelector("[data-fact=truth]")).getText())
        .isEqualTo("v2: rate 99.00 EUR");
    assertThat(cell.findElement(By.cssSelector("[data-fact=sent]")).getText())
        .startsWith("v2: rate 99.00 EUR");
    assertThat(cell.findElement(By.cssSelector("[data-fact=acked]")).getText())
        .startsWith("v2: rate 99.00 EUR");
    assertThat(
            cell.findElements(By.cssSelector("tr[data-kind]")).stream()
                .map(e -> e.getAttribute("data-kind")))
        .contains("change.accepted", "batch.formed", "batch.acknowledged");
    assertThat(ui.errors()).as("the browser console").isEmpty();
  }

  private String text(String css) {
    return ui.text(css);
  }

  private String state(String css) {
    for (int tries = 0; ; tries++) {
      try {
        return ui.browser.findElement(By.cssSelector(css)).getAttribute("data-state");
      } catch (StaleElementReferenceException e) {
        if (tries == 10) {
          throw e;
        }
      }
    }
  }
}
