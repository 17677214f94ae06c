package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.time.Clock;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
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
 * <p>With {@code -Dui.screenshots=DIR} it saves the overview and the dead-letter page at 1280×800
 * and at phone width into {@code DIR} (docs/ui.md: {@code -Dui.screenshots=docs/ui}, relative to
 * the repository).
 */
class UiBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String TOKEN = "ui-browser-admin-token";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final long POLL = TimeUnit.MILLISECONDS.toNanos(5);

  @TempDir Path dir;
  private SimChannel sim;
  private ServeCommand serve;
  private CompletableFuture<Integer> exit;
  private ChromeDriver browser;

  @BeforeEach
  void requireChromium() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    String why =
        "no "
            + CHROMIUM
            + " or "
            + CHROMEDRIVER
            + ": install Debian's chromium and chromium-driver (apt-get install chromium"
            + " chromium-driver; .ci/run does) to run the web UI's browser test";
    if ("true".equals(System.getenv("CI"))) {
      assertThat(present).as(why).isTrue();
    }
    Assumptions.assumeTrue(present, why);
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (serve != null) {
      serve.stop();
      assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
    }
    if (sim != null) {
      sim.close();
    }
  }

  @Test
  void logInWatchTheOverviewChangeLiveAndLogOut() throws Exception {
    URI base = startServe();
    browser = chromium();
    WebDriverWait wait = new WebDriverWait(browser, WAIT);

    // Not logged in: to the login form; the token exchanged for a session.
    browser.get(base.resolve("/ui").toString());
    wait.until(ExpectedConditions.urlToBe(base.resolve("/ui/login").toString()));
    browser.findElement(By.id("token")).sendKeys(TOKEN);
    browser.findElement(By.cssSelector("form.login button[type=submit]")).click();
    wait.until(ExpectedConditions.urlToBe(base.resolve("/ui").toString()));
    WebElement heading = browser.findElement(By.tagName("h1"));
    assertThat(heading.getText()).isEqualTo("Channels at a glance");
    assertThat(parity("a")).isEqualTo("0 of 0 cells");
    assertThat(row("a").findElement(By.cssSelector(".state")).getText()).isEqualTo("●closed");
    WebElement before = browser.findElement(By.id("channels"));

    // A change posted to the API shows up without a reload: htmx swaps the table in.
    postChange(base, "ui-browser-1", LocalDate.now(ZoneOffset.UTC).plusDays(3), 3, "99.00");
    wait.until(d -> parity("a").equals("3 of 3 cells"));
    assertThat(heading.getText()).as("the page was not reloaded").isEqualTo("Channels at a glance");
    assertThatThrownBy(before::isDisplayed)
        .as("the table was swapped in by htmx")
        .isInstanceOf(StaleElementReferenceException.class);
    assertThat(count("a", "pending")).isEqualTo("0");
    assertThat(count("a", "dead")).isEqualTo("0");
    assertThat(count("a", "parity")).contains("100.00 %");
    assertThat(errors()).as("console errors on the overview").isEmpty();
    screenshot("overview");

    // Two rates under the channel's floor become two dead letters, counted live on the overview.
    LocalDate night = LocalDate.now(ZoneOffset.UTC).plusDays(10);
    postChange(base, "ui-browser-2", night, 1, "10.00");
    wait.until(d -> count("a", "dead").equals("1"));
    postChange(base, "ui-browser-3", night.plusDays(2), 1, "20.00");
    wait.until(d -> count("a", "dead").equals("2"));

    // The dead-letter page: replay one, discard the other with a reason.
    browser.findElement(By.linkText("Dead letters")).click();
    wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Dead letters"));
    List<WebElement> rows = browser.findElements(By.cssSelector("tr[data-item]"));
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).getText()).contains("a", "1");
    String replayed = rows.get(0).getAttribute("data-item");
    String discarded = rows.get(1).getAttribute("data-item");
    screenshot("dead-letters");
    rows.get(0).findElement(By.cssSelector("button.replay")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), replayed));
    assertThat(browser.findElement(By.id("notice")).getText())
        .isEqualTo("Replayed " + replayed + ": 1 cell(s) pending again.");
    WebElement row = browser.findElement(By.cssSelector("tr[data-item='" + discarded + "']"));
    row.findElement(By.name("reason")).sendKeys("rate typo in the PMS");
    row.findElement(By.cssSelector("button.discard")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), discarded));
    assertThat(browser.findElements(By.cssSelector("tr[data-item='" + discarded + "']"))).isEmpty();
    String item = admin(base, "/admin/v1/items/" + discarded);
    assertThat(item)
        .contains(
            "\"state\" : \"discarded\"",
            "\"closedReason\" : \"rate typo in the PMS\"",
            "\"by\" : \"web-ui\"");
    assertThat(admin(base, "/admin/v1/items/" + replayed)).contains("\"state\" : \"replayed\"");
    assertThat(errors()).as("console errors on the dead-letter page").isEmpty();

    // A form without its CSRF token is refused with a page saying so; the session survives.
    ((JavascriptExecutor) browser)
        .executeScript(
            "document.querySelector('form[action=\"/ui/logout\"] input[name=csrf]').remove()");
    browser.findElement(By.id("logout")).click();
    wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "403 Forbidden"));
    assertThat(browser.findElement(By.id("problem")).getText())
        .isEqualTo("the form carries no CSRF token (field csrf): send it from a page of this UI");
    assertThat(errors())
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
    assertThat(errors()).as("console errors after logging out").isEmpty();
  }

  private URI startServe() throws Exception {
    sim =
        SimChannel.start(
            SimConfig.healthy(1).toBuilder().withRateFloor(new BigDecimal("50")).build(),
            Clock.system());
    Path config = dir.resolve("paritysync.yaml");
    Files.writeString(
        config,
        "database: {url: \"jdbc:sqlite:"
            + dir.resolve("serve.db")
            + "\"}\n"
            + "portfolio:\n  properties:\n"
            + "    P1: {timezone: UTC, rooms: {DBL: {ratePlans: {BAR: EUR}}}}\n"
            + "channels:\n  a:\n    adapter: native\n    baseUrl: "
            + sim.baseUri()
            + "/\n    credentials: {apiKey: {header: X-Api-Key, value: \"${file:"
            + Files.writeString(dir.resolve("key"), "k")
            + "}\"}}\n"
            + "    mapping: {rooms: {DBL: D1}, ratePlans: {BAR: R1}}\n"
            + "server: {port: 0, drain: 2s, shutdownDeadline: 5s, adminToken: \"${file:"
            + Files.writeString(dir.resolve("admin"), TOKEN)
            + "}\"}\n");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    serve = new ServeCommand();
    serve.config = config;
    serve.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    serve.onSignals = false;
    exit =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return serve.call();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Pattern serving = Pattern.compile("serving (http://127\\.0\\.0\\.1:\\d+) ");
    long deadline = Clock.system().nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      Matcher m = serving.matcher(bytes.toString(StandardCharsets.UTF_8));
      if (m.find()) {
        return URI.create(m.group(1));
      }
      assertThat(exit).as("serve exited before serving").isNotDone();
      assertThat(Clock.system().nanoTime()).as("serving within 60 s").isLessThan(deadline);
      LockSupport.parkNanos(POLL);
    }
  }

  private static ChromeDriver chromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // CI runs as root in a container: no sandbox there, and a small /dev/shm
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800");
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  private static void postChange(URI base, String key, LocalDate from, int nights, String rate)
      throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(base.resolve("/v1/changes"))
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", "\"" + key + "\"")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"changes\":[{\"property\":\"P1\",\"roomType\":\"DBL\","
                                + "\"ratePlan\":\"BAR\",\"from\":\""
                                + from
                                + "\",\"to\":\""
                                + from.plusDays(nights - 1)
                                + "\",\"rate\":{\"amount\":\""
                                + rate
                                + "\",\"currency\":\"EUR\"}}]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
  }

  /** The admin API's answer to {@code GET path}, which must be 200. */
  private static String admin(URI base, String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(base.resolve(path))
                    .header("Authorization", "Bearer " + TOKEN)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  private WebElement row(String channel) {
    return browser.findElement(By.cssSelector("tr[data-channel='" + channel + "']"));
  }

  private String count(String channel, String which) {
    return text("tr[data-channel='" + channel + "'] td[data-count='" + which + "']");
  }

  private String parity(String channel) {
    return text("tr[data-channel='" + channel + "'] td[data-count='parity'] .note");
  }

  /** The text of {@code css}, read again when htmx swapped the table in between. */
  private String text(String css) {
    for (int tries = 0; ; tries++) {
      try {
        return browser.findElement(By.cssSelector(css)).getText();
      } catch (StaleElementReferenceException e) {
        if (tries == 10) {
          throw e;
        }
      }
    }
  }

  /** The browser's console entries at SEVERE since the last call. */
  private List<LogEntry> errors() {
    return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .toList();
  }

  /**
   * The page at 1280×800 as {@code NAME.png} and at a phone's width as {@code NAME-phone.png}, when
   * -Dui.screenshots names a folder.
   */
  private void screenshot(String name) throws Exception {
    String to = System.getProperty("ui.screenshots");
    if (to == null || to.isBlank()) {
      return;
    }
    Path folder = Path.of(to);
    if (!folder.isAbsolute()) {
      folder = Path.of("..").resolve(folder); // tests run in app/; the path is the repository's
    }
    Files.createDirectories(folder);
    shoot(folder.resolve(name + ".png"), new Dimension(1280, 800));
    shoot(folder.resolve(name + "-phone.png"), new Dimension(390, 844));
    browser.manage().window().setSize(new Dimension(1280, 800));
  }

  private void shoot(Path file, Dimension size) throws Exception {
    browser.manage().window().setSize(size);
    Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
  }
}
