package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.time.Clock;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI's end-to-end fixture: a simulated channel, a real {@code serve} delivering to it (a
 * real SQLite file, real HTTP over loopback) and a real headless Chromium (Debian's {@code
 * chromium} and {@code chromium-driver}, which {@code .ci/run} installs). Closing it quits the
 * browser, stops {@code serve} (which must exit 0) and the channel.
 *
 * <p>{@link #attach(URI, String)} gives the same browser and helpers against a server started
 * otherwise (such as {@code demo --ui}); closing that one quits the browser only.
 *
 * <p>{@link #requireChromium()} skips a test, saying why, where Chromium is absent; under {@code
 * CI=true} its absence fails instead. With {@code -Dui.screenshots=DIR}, {@link #screenshot} saves
 * the page at 1280×800 and at phone width into {@code DIR} (relative to the repository).
 */
final class UiBrowser implements AutoCloseable {
  static final String TOKEN = "ui-browser-admin-token";
  static final Duration WAIT = Duration.ofSeconds(30);

  /**
   * The configuration {@link #start(Path, SimConfig)} serves: property P1 (UTC, DBL/BAR in EUR) to
   * channel {@code a}, the simulated one. {@code {db}}, {@code {sim}}, {@code {key}} and {@code
   * {admin}} stand for the database URL, the channel's base URL and the files holding its key and
   * the admin token.
   */
  static final String CONFIG =
      "database: {url: \"{db}\"}\n"
          + "portfolio:\n  properties:\n"
          + "    P1: {timezone: UTC, rooms: {DBL: {ratePlans: {BAR: EUR}}}}\n"
          + "channels:\n  a:\n    adapter: native\n    baseUrl: {sim}/\n"
          + "    credentials: {apiKey: {header: X-Api-Key, value: \"${file:{key}}\"}}\n"
          + "    mapping: {rooms: {DBL: D1}, ratePlans: {BAR: R1}}\n"
          + "server: {port: 0, drain: 2s, shutdownDeadline: 5s, adminToken: \"${file:{admin}}\"}\n";

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final long POLL = TimeUnit.MILLISECONDS.toNanos(5);

  /** The simulated channel; null when {@link #attach attached} to a server started otherwise. */
  final SimChannel sim;

  /** Where {@code serve} answers, such as {@code http://127.0.0.1:41234}. */
  final URI base;

  /** The browser, at 1280×800. */
  final ChromeDriver browser;

  /** Waits up to {@link #WAIT} on {@link #browser}. */
  final WebDriverWait wait;

  /** The admin token {@link #logIn()} and {@link #admin(String)} give. */
  final String token;

  private final ServeCommand serve;
  private final CompletableFuture<Integer> exit;

  private UiBrowser(
      SimChannel sim, URI base, String token, ServeCommand serve, CompletableFuture<Integer> exit) {
    this.sim = sim;
    this.base = base;
    this.token = token;
    this.serve = serve;
    this.exit = exit;
    this.browser = chromium();
    this.wait = new WebDriverWait(browser, WAIT);
  }

  /**
   * A browser for the UI a server started otherwise answers at {@code base} (such as {@code
   * http://127.0.0.1:41234}), logging in with {@code token}; closing it quits the browser only.
   */
  static UiBrowser attach(URI base, String token) {
    return new UiBrowser(null, base, token, null, null);
  }

  /** Skips the calling test where Chromium is absent; fails it instead under {@code CI=true}. */
  static void requireChromium() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    String why =
        "no "
            + CHROMIUM
            + " or "
            + CHROMEDRIVER
            + ": install Debian's chromium and chromium-driver (apt-get install chromium"
            + " chromium-driver; .ci/run does) to run the web UI's browser tests";
    if ("true".equals(System.getenv("CI"))) {
      assertThat(present).as(why).isTrue();
    }
    Assumptions.assumeTrue(present, why);
  }

  /** {@link #CONFIG} served over a channel simulated as {@code channel} describes. */
  static UiBrowser start(Path dir, SimConfig channel) throws Exception {
    return start(dir, channel, CONFIG);
  }

  /**
   * {@code config} (with the placeholders of {@link #CONFIG}) served over a channel simulated as
   * {@code channel} describes, its files in {@code dir}.
   */
  static UiBrowser start(Path dir, SimConfig channel, String config) throws Exception {
    SimChannel sim = SimChannel.start(channel, Clock.system());
    ServeCommand serve = null;
    try {
      Path file = dir.resolve("paritysync.yaml");
      Files.writeString(
          file,
          config
              .replace("{db}", "jdbc:sqlite:" + dir.resolve("serve.db"))
              .replace("{sim}", sim.baseUri().toString())
              .replace("{key}", Files.writeString(dir.resolve("key"), "k").toString())
              .replace("{admin}", Files.writeString(dir.resolve("admin"), TOKEN).toString()));
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      serve = new ServeCommand();
      serve.config = file;
      serve.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
      serve.onSignals = false;
      ServeCommand started = serve;
      CompletableFuture<Integer> exit =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return started.call();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Pattern serving = Pattern.compile("serving (http://127\\.0\\.0\\.1:\\d+) ");
      long deadline = Clock.system().nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        Matcher m = serving.matcher(bytes.toString(StandardCharsets.UTF_8));
        if (m.find()) {
          return new UiBrowser(sim, URI.create(m.group(1)), TOKEN, serve, exit);
        }
        assertThat(exit).as("serve exited before serving: %s", bytes).isNotDone();
        assertThat(Clock.system().nanoTime()).as("serving within 60 s").isLessThan(deadline);
        LockSupport.parkNanos(POLL);
      }
    } catch (Exception | AssertionError e) {
      if (serve != null) {
        serve.stop();
      }
      sim.close();
      throw e;
    }
  }

  /** Opens {@code /ui}, is sent to the login form, gives the admin token, lands on the overview. */
  void logIn() {
    browser.get(base.resolve("/ui").toString());
    wait.until(ExpectedConditions.urlToBe(base.resolve("/ui/login").toString()));
    browser.findElement(By.id("token")).sendKeys(token);
    browser.findElement(By.cssSelector("form.login button[type=submit]")).click();
    wait.until(ExpectedConditions.urlToBe(base.resolve("/ui").toString()));
  }

  /**
   * Posts a rate of {@code rate} EUR for P1/DBL/BAR for {@code nights} nights from {@code from} to
   * {@code POST /v1/changes} under idempotency key {@code key}; it must be accepted (202).
   */
  void postChange(String key, LocalDate from, int nights, String rate) throws Exception {
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
  String admin(String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(base.resolve(path))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  /** The text of {@code css}, read again when htmx swapped it in between. */
  String text(String css) {
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
  List<LogEntry> errors() {
    return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .toList();
  }

  /**
   * The page at 1280×800 as {@code NAME.png} and at a phone's width as {@code NAME-phone.png}, when
   * -Dui.screenshots names a folder.
   */
  void screenshot(String name) throws Exception {
    screenshot(name, null);
  }

  /**
   * As {@link #screenshot(String)}, each picture scrolled to show {@code at} in its middle (the
   * page's top when null).
   */
  void screenshot(String name, By at) throws Exception {
    String to = System.getProperty("ui.screenshots");
    if (to == null || to.isBlank()) {
      return;
    }
    Path folder = Path.of(to);
    if (!folder.isAbsolute()) {
      folder = Path.of("..").resolve(folder); // tests run in app/; the path is the repository's
    }
    Files.createDirectories(folder);
    shoot(folder.resolve(name + ".png"), new Dimension(1280, 800), at);
    shoot(folder.resolve(name + "-phone.png"), new Dimension(390, 844), at);
    browser.manage().window().setSize(new Dimension(1280, 800));
  }

  private void shoot(Path file, Dimension size, By at) throws Exception {
    browser.manage().window().setSize(size);
    if (at != null) {
      browser.executeScript(
          "arguments[0].scrollIntoView({block: 'center'})", browser.findElement(at));
    }
    Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
  }

  @Override
  public void close() throws Exception {
    try {
      browser.quit();
    } finally {
      if (serve == null) {
        return;
      }
      try {
        serve.stop();
        assertThat(exit.get(30, TimeUnit.SECONDS)).as("serve's exit code").isZero();
      } finally {
        sim.close();
      }
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
}
