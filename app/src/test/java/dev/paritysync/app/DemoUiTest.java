package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.time.Clock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code paritysync demo --quick --ui} in this JVM: after the report the UI is on the printed
 * loopback URL, the printed token logs in over real HTTP, the overview lists the three demo
 * channels, and a stop (what Ctrl-C does) ends it with exit code 0.
 */
class DemoUiTest {
  private static final long POLL = TimeUnit.MILLISECONDS.toNanos(20);
  private static final Pattern UI =
      Pattern.compile(
          "UI: (http://127\\.0\\.0\\.1:\\d+)/ui  \\(admin token: ([0-9a-f]{32}); Ctrl-C stops\\)");
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @Test
  void quickDemoServesTheUiOverItsEngineUntilStopped() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err, true));
    DemoCommand demo = cl.getSubcommands().get("demo").getCommand();
    demo.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    demo.onSignals = false;
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(() -> cl.execute("demo", "--quick", "--ui"));
    try {
      Matcher printed = awaitUi(bytes, exit, err);
      URI base = URI.create(printed.group(1));
      String token = printed.group(2);

      HttpResponse<String> wrong = login(base, "0".repeat(32));
      assertThat(wrong.statusCode()).as("another token").isEqualTo(401);
      HttpResponse<String> ok = login(base, token);
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(303);
      String session = cookie(ok, "paritysync_ui");

      HttpResponse<String> overview =
          send(HttpRequest.newBuilder(base.resolve("/ui")).header("Cookie", session));
      assertThat(overview.statusCode()).as(overview.body()).isEqualTo(200);
      for (String channel : new String[] {"healthy", "flaky", "outage"}) {
        assertThat(overview.body())
            .contains("<th scope=\"row\" data-label=\"Channel\">" + channel + "</th>");
      }
      HttpResponse<String> admin =
          send(
              HttpRequest.newBuilder(base.resolve("/admin/v1/channels"))
                  .header("Authorization", "Bearer " + token));
      assertThat(admin.statusCode()).as(admin.body()).isEqualTo(200);
      assertThat(admin.body()).contains("\"healthy\"", "\"flaky\"", "\"outage\"");
      assertThat(exit).as("still running while the UI is up").isNotDone();
    } finally {
      demo.stop();
    }

    assertThat(exit.get(60, TimeUnit.SECONDS)).as(err.toString()).isZero();
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("at parity: every cell not in a queue holds the truth on every channel")
        .contains("stopping: draining requests")
        .endsWith("stopped\n");
  }

  @Test
  void aUiPortWithoutUiOrOutOfRangeIsRefusedNamingIt() {
    assertThatThrownBy(() -> new DemoUi(70000, System.out))
        .hasMessage("--ui-port: 70000 is not in 0..65535");
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err, true));
    assertThat(cl.execute("demo", "--ui-port", "8081")).isEqualTo(2);
    assertThat(err.toString()).contains("--ui-port 8081 needs --ui");
  }

  @Test
  void tokensAre128RandomBits() {
    String a = DemoUi.token();
    assertThat(a).matches("[0-9a-f]{32}").isNotEqualTo(DemoUi.token());
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

  private HttpResponse<String> login(URI base, String token) {
    HttpResponse<String> form = send(HttpRequest.newBuilder(base.resolve("/ui/login")));
    assertThat(form.statusCode()).as(form.body()).isEqualTo(200);
    Matcher csrf = CSRF.matcher(form.body());
    assertThat(csrf.find()).as("a csrf field in %s", form.body()).isTrue();
    return send(
        HttpRequest.newBuilder(base.resolve("/ui/login"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Cookie", cookie(form, "paritysync_ui_login"))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "csrf="
                        + csrf.group(1)
                        + "&token="
                        + URLEncoder.encode(token, StandardCharsets.UTF_8))));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String cookie(HttpResponse<String> r, String name) {
    return r.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith(name + "="))
        .map(c -> c.substring(0, c.indexOf(';')))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no cookie " + name + " in " + r.headers()));
  }
}
