package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.time.Clock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import picocli.CommandLine;

/**
 * A newcomer's tour of the web UI at the end of {@code paritysync demo --quick --ui}, run in this
 * JVM as {@link DemoUiTest} runs it, in a real headless Chromium: log in through the form with the
 * printed token, then every hotel page with the demo's own data — the live overview (its three
 * channels, the outage channel's dead letter and 409 items), the heat map and the night of the
 * demo's typo (a rate under the outage channel's floor), the dead letters and that one's evidence,
 * the reconciliation items (the batches carrying the two cells the outage channel holds in
 * conflict), the conflicts, the reconciliation reports and the report of the demo's closing pass
 * (three cells drifted, all re-pushed), and the cluster page. On each page the heading, what the
 * demo left there, and a console free of errors; then a stop ends the demo with exit code 0.
 * Skipped, saying why, where Chromium is absent; under {@code CI=true} its absence fails instead.
 *
 * <p>With {@code -Dui.screenshots=DIR} it takes the hotel pages' pictures: {@code overview}, {@code
 * heat-map}, {@code heat-map-day}, {@code dead-letters}, {@code item}, {@code conflicts}, {@code
 * reconciliation}, {@code reconciliation-report} and {@code cluster} (each also at phone width).
 * The demo has no royalty data: {@code royalty} is {@link UiBrowserRoyaltyTest}'s.
 */
class UiDemoTourTest {
  private static final long POLL = TimeUnit.MILLISECONDS.toNanos(20);
  private static final Pattern UI =
      Pattern.compile(
          "UI: (http://127\\.0\\.0\\.1:\\d+)/ui  \\(admin token: ([0-9a-f]{32}); Ctrl-C stops\\)");

  private UiBrowser ui;
  private ChromeDriver browser;
  private int conflicts;

  @BeforeEach
  void requireChromium() {
    UiBrowser.requireChromium();
  }

  @Test
  void everyHotelPageShowsTheQuickDemosData() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err, true));
    DemoCommand demo = cl.getSubcommands().get("demo").getCommand();
    demo.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    demo.onSignals = false;
    // the demo's first night is tomorrow (UTC), read as it starts
    LocalDate firstNight = LocalDate.now(ZoneOffset.UTC).plusDays(1);
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(() -> cl.execute("demo", "--quick", "--ui"));
    try {
      Matcher printed = awaitUi(bytes, exit, err);
      ui = UiBrowser.attach(URI.create(printed.group(1)), printed.group(2));
      try {
        browser = ui.browser;
        overview();
        heatMap(firstNight);
        deadLetters();
        reconciliationItems();
        reconciliation(firstNight);
        cluster();
      } finally {
        ui.close();
      }
      assertThat(exit).as("still running while the UI is up").isNotDone();
    } finally {
      demo.stop();
    }
    assertThat(exit.get(60, TimeUnit.SECONDS)).as(err.toString()).isZero();
    assertThat(bytes.toString(StandardCharsets.UTF_8)).endsWith("stopped\n");
  }

  /** The login form, then the overview, live: the three channels, what the outage one parked. */
  private void overview() throws Exception {
    ui.logIn();
    heading("Channels at a glance");
    assertThat(browser.findElement(By.id("live")).getAttribute("sse-connect"))
        .isEqualTo("/ui/live");
    // The stream's first event swaps the table in: the page is live.
    WebElement first = browser.findElement(By.id("channels"));
    ui.wait.until(d -> stale(first));
    assertThat(browser.findElements(By.cssSelector("tr[data-channel]")))
        .extracting(r -> r.getAttribute("data-channel"))
        .containsExactly("healthy", "flaky", "outage");
    for (String channel : List.of("healthy", "flaky")) {
      assertThat(count(channel, "parity")).as(channel).contains("100.00 %");
      assertThat(count(channel, "dead")).as(channel).isEqualTo("0");
    }
    assertThat(count("outage", "dead")).isEqualTo("1");
    // Batches carrying the two cells the outage channel holds in conflict: how many depends on how
    // the day's changes were batched, so the list below must show the same number.
    conflicts = Integer.parseInt(count("outage", "reconciliation"));
    assertThat(conflicts).isPositive();
    assertThat(count("outage", "pending")).isEqualTo("0");
    assertThat(ui.text("tr[data-channel='healthy'] [data-last-success]")).contains("UTC");
    noErrors("the overview");
    ui.screenshot("overview");
  }

  /**
   * The heat map of every channel and property; the night of the typo (H3, DBL BAR, 14.00 EUR in 45
   * days) is a dead letter on the outage channel only.
   */
  private void heatMap(LocalDate firstNight) throws Exception {
    browser.findElement(By.linkText("Parity")).click();
    ui.wait.until(ExpectedConditions.urlToBe(ui.base.resolve("/ui/parity").toString()));
    heading("Parity by night");
    for (String channel : List.of("healthy", "flaky", "outage")) {
      assertThat(
              browser
                  .findElements(By.cssSelector("section[data-channel='" + channel + "'] table"))
                  .stream()
                  .map(t -> t.getAttribute("data-property")))
          .as(channel)
          .containsExactly("H1", "H2", "H3", "H4", "H5");
    }
    LocalDate typo = firstNight.plusDays(45);
    String square =
        "section[data-channel='%s'] table[data-property=H3] a[data-date='" + typo + "']";
    assertThat(state(square.formatted("healthy"))).isEqualTo("at-parity");
    assertThat(state(square.formatted("outage"))).isEqualTo("dead-letter");
    assertThat(state(square.formatted("outage").replace(typo.toString(), firstNight.toString())))
        .isEqualTo("at-parity");
    noErrors("the heat map");
    ui.screenshot("heat-map", By.cssSelector(square.formatted("outage")));

    browser.findElement(By.cssSelector(square.formatted("outage"))).click();
    ui.wait.until(d -> d.getCurrentUrl().endsWith("/ui/parity/outage/H3/" + typo));
    heading("H3 on outage, night of " + typo);
    By dbl = By.cssSelector("section.cell[data-room=DBL][data-plan=BAR]");
    WebElement cell = browser.findElement(dbl);
    assertThat(cell.getAttribute("data-state")).isEqualTo("dead-letter");
    assertThat(cell.findElement(By.cssSelector("[data-fact=truth]")).getText())
        .contains("rate 14.00 EUR");
    assertThat(browser.findElements(By.cssSelector("section.cell[data-plan=NRF]")))
        .as("the other plans' cells of the night")
        .isNotEmpty();
    noErrors("the night's page");
    ui.screenshot("heat-map-day", By.cssSelector("section.cell[data-room=DBL][data-plan=BAR] h2"));
  }

  /** One dead letter: the typo, refused by the outage channel's floor; its evidence. */
  private void deadLetters() throws Exception {
    browser.findElement(By.linkText("Dead letters")).click();
    heading("Dead letters");
    List<WebElement> rows = rows();
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).getText()).contains("outage", "H3", "below the floor 40.00");
    String id = rows.get(0).getAttribute("data-item");
    noErrors("the dead letters");
    ui.screenshot("dead-letters");

    rows.get(0).findElement(By.cssSelector("a.evidence")).click();
    ui.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("ledger")));
    heading("Dead letter " + id);
    assertThat(ui.text("#state")).contains("open");
    assertThat(ui.text("#reason-text")).contains("rate 14.00 is below the floor 40.00");
    assertThat(ui.text("#request")).contains("14.00");
    assertThat(ui.text("#response")).contains("below the floor 40.00");
    assertThat(browser.findElements(By.cssSelector("#ledger tr[data-kind='queue.entered']")))
        .hasSize(1);
    noErrors("the item's evidence");
    ui.screenshot("item");
  }

  /**
   * The batches the outage channel answered 409, as many as the overview counted, in both lists.
   */
  private void reconciliationItems() throws Exception {
    browser.findElement(By.linkText("Reconciliation items")).click();
    heading("Reconciliation items");
    List<WebElement> rows = rows();
    assertThat(rows).hasSize(conflicts);
    assertThat(rows).allSatisfy(r -> assertThat(r.getText()).contains("outage", "in conflict"));
    List<String> items = rows.stream().map(r -> r.getAttribute("data-item")).toList();
    noErrors("the reconciliation items");

    browser.get(ui.base.resolve("/ui/reconciliation/conflicts").toString());
    heading("Conflicts");
    assertThat(rows())
        .extracting(r -> r.getAttribute("data-item"))
        .containsExactlyElementsOf(items);
    assertThat(rows()).allSatisfy(r -> assertThat(r.getText()).contains("outage"));
    noErrors("the conflicts");
    ui.screenshot("conflicts");
  }

  /** The demo's closing pass: one report, auto-corrected, and its three drifted cells. */
  private void reconciliation(LocalDate firstNight) throws Exception {
    browser.findElement(By.linkText("Reconciliation")).click();
    heading("Reconciliation");
    List<WebElement> reports = browser.findElements(By.cssSelector("tr[data-report]"));
    assertThat(reports).hasSize(1);
    assertThat(reports.get(0).getText()).contains("auto-corrected");
    assertThat(reports.get(0).findElement(By.cssSelector("[data-held]")).getText()).isEqualTo("0");
    String id = reports.get(0).getAttribute("data-report");
    noErrors("the reconciliation reports");
    ui.screenshot("reconciliation");

    reports.get(0).findElement(By.cssSelector("a")).click();
    ui.wait.until(
        ExpectedConditions.urlToBe(ui.base.resolve("/ui/reconciliation/" + id).toString()));
    heading("Reconciliation report " + id);
    assertThat(ui.text("#status")).contains("auto-corrected");
    assertThat(ui.text("#held")).isEqualTo("0 cell(s)");
    assertThat(drifted("healthy/H1")).isEqualTo("2");
    assertThat(drifted("flaky/H2")).isEqualTo("1");
    assertThat(drifted("outage/H1")).isEqualTo("0");
    // Behind the engine's back: two rates edited on healthy, a cell lost on flaky; all re-pushed.
    List<String> made =
        List.of(
            "healthy/STD/BAR/" + firstNight.plusDays(10),
            "healthy/STD/BAR/" + firstNight.plusDays(11),
            "flaky/DBL//" + firstNight.plusDays(30));
    List<WebElement> cells = browser.findElements(By.cssSelector("tr[data-cell]"));
    assertThat(cells)
        .extracting(c -> c.getAttribute("data-cell"))
        .filteredOn(c -> !c.startsWith("outage/"))
        .containsExactlyInAnyOrderElementsOf(made);
    for (String c : made) {
      assertThat(ui.text("tr[data-cell='" + c + "'] [data-outcome]"))
          .as(c)
          .isEqualTo("repaired: re-pushed automatically");
    }
    assertThat(ui.text("tr[data-cell='" + made.get(0) + "']")).contains("rate 9.99 EUR");
    // The outage channel's cells still parked in its queues are told apart, not repaired.
    assertThat(cells)
        .filteredOn(c -> c.getAttribute("data-cell").startsWith("outage/"))
        .allSatisfy(c -> assertThat(c.getText()).contains("queued"));
    noErrors("the report");
    ui.screenshot("reconciliation-report");
  }

  /** On SQLite: one process, not a cluster; the flaky channel's quota windows in use. */
  private void cluster() throws Exception {
    browser.findElement(By.linkText("Cluster")).click();
    heading("Cluster");
    assertThat(ui.text("#one-process"))
        .startsWith("This serve runs on SQLite: one process, not a cluster.");
    // The demo's engine registers no worker; its quota keys are the flaky channel's windows.
    assertThat(ui.text("#workers-count")).isEqualTo("0 alive, 0 not alive.");
    assertThat(ui.text("#quotas")).contains("flaky", "20/1s");
    noErrors("the cluster page");
    ui.screenshot("cluster");
  }

  private void heading(String text) {
    ui.wait.until(ExpectedConditions.textToBe(By.tagName("h1"), text));
  }

  private void noErrors(String page) {
    assertThat(ui.errors()).as("console errors on " + page).isEmpty();
  }

  private List<WebElement> rows() {
    return browser.findElements(By.cssSelector("tr[data-item]"));
  }

  private String count(String channel, String which) {
    return ui.text("tr[data-channel='" + channel + "'] td[data-count='" + which + "']");
  }

  private String drifted(String group) {
    return ui.text("tr[data-group='" + group + "'] td[data-label='Drifted']");
  }

  private String state(String css) {
    for (int tries = 0; ; tries++) {
      try {
        return browser.findElement(By.cssSelector(css)).getAttribute("data-state");
      } catch (StaleElementReferenceException e) {
        if (tries == 10) {
          throw e;
        }
      }
    }
  }

  private static boolean stale(WebElement e) {
    try {
      e.isDisplayed();
      return false;
    } catch (StaleElementReferenceException gone) {
      return true;
    }
  }

  private static Matcher awaitUi(
      ByteArrayOutputStream out, CompletableFuture<Integer> exit, StringWriter err) {
    long deadline = Clock.system().nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (true) {
      Matcher m = UI.matcher(out.toString(StandardCharsets.UTF_8));
      if (m.find()) {
        return m;
      }
      assertThat(exit).as("demo exited before serving the UI: %s%s", out, err).isNotDone();
      assertThat(Clock.system().nanoTime()).as("UI within 180 s: %s", out).isLessThan(deadline);
      LockSupport.parkNanos(POLL);
    }
  }
}
