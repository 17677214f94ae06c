package dev.paritysync.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UI's security over real HTTP: off without a token, the login exchange, the cookie's flags,
 * CSRF on every form, expiry, bounds on what a client sends, the Content-Security-Policy.
 */
class UiRoutesTest {
  private static final String TOKEN = "s3cret-admin-token";

  @TempDir java.nio.file.Path dir;
  private UiFixture ui;

  @AfterEach
  void close() {
    if (ui != null) {
      ui.close();
    }
  }

  @Test
  void withoutAnAdminTokenEveryPageIsA404SayingWhy() {
    ui = new UiFixture(dir, null);
    for (String path : List.of("/ui", "/ui/login", "/ui/static/htmx.min.js")) {
      HttpResponse<String> r = ui.get(path, null);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
      assertThat(r.body())
          .as(path)
          .contains("the web UI is off: configure server.adminToken to use it");
    }
    assertThat(ui.post("/ui/login", null, "token=x").statusCode()).isEqualTo(404);
  }

  @Test
  void pagesNeedASessionAndCarryAStrictPolicy() {
    ui = new UiFixture(dir, TOKEN);
    HttpResponse<String> r = ui.get("/ui", null);
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("Location")).hasValue("/ui/login");
    assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(UiRoutes.CSP);
    assertThat(UiRoutes.CSP)
        .contains("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
        .doesNotContain("unsafe");

    HttpResponse<String> fragment =
        ui.send(
            java.net.http.HttpRequest.newBuilder(ui.uri("/ui/channels"))
                .header("HX-Request", "true"));
    assertThat(fragment.statusCode()).isEqualTo(401);
    assertThat(fragment.headers().firstValue("HX-Redirect")).hasValue("/ui/login");
  }

  @Test
  void theTokenIsExchangedForAStrictHttpOnlyCookieThatExpires() {
    ui = new UiFixture(dir, TOKEN);
    HttpResponse<String> wrong = login("not-it");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("That is not the token of server.adminToken.");

    HttpResponse<String> ok = login(TOKEN);
    assertThat(ok.statusCode()).isEqualTo(303);
    assertThat(ok.headers().firstValue("Location")).hasValue("/ui");
    String setCookie =
        ok.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith(UiRoutes.SESSION_COOKIE + "="))
            .findFirst()
            .orElseThrow();
    assertThat(setCookie)
        .contains("; Path=/ui", "; Max-Age=28800", "; HttpOnly", "; SameSite=Strict")
        .doesNotContain("Secure");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));

    HttpResponse<String> page = ui.get("/ui", cookie);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(page.body())
        .contains(
            "<th scope=\"row\" data-label=\"Channel\">a</th>", "closed", "100.00 %", "0 of 0 cells")
        .doesNotContain("<script>", "style=");
    assertThat(ui.get("/ui/channels", cookie).body())
        .startsWith("<div id=\"channels\" sse-swap=\"channels\" hx-swap=\"outerHTML\">");

    ui.time.advance(Sessions.TTL.minus(Duration.ofSeconds(1)));
    assertThat(ui.get("/ui", cookie).statusCode()).isEqualTo(200);
    ui.time.advance(Duration.ofSeconds(1));
    assertThat(ui.get("/ui", cookie).statusCode()).as("expired").isEqualTo(303);
  }

  @Test
  void behindTlsTheCookieIsSecure() {
    ui = new UiFixture(dir, TOKEN);
    HttpResponse<String> form = ui.get("/ui/login", null);
    HttpResponse<String> r =
        ui.send(
            java.net.http.HttpRequest.newBuilder(ui.uri("/ui/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-Proto", "https")
                .header("Cookie", UiFixture.cookie(form, UiRoutes.LOGIN_COOKIE))
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "csrf=" + UiFixture.csrf(form) + "&token=" + TOKEN)));
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().allValues("Set-Cookie"))
        .anySatisfy(c -> assertThat(c).startsWith(UiRoutes.SESSION_COOKIE).endsWith("; Secure"));
  }

  @Test
  void aLoginWithoutItsFormTokenIsRefused() {
    ui = new UiFixture(dir, TOKEN);
    HttpResponse<String> r = ui.post("/ui/login", null, "token=" + TOKEN);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("the login form's CSRF token is missing or stale");
    assertThat(ui.sessions.size()).isZero();
  }

  @Test
  void logoutNeedsTheSessionsCsrfTokenAndEndsTheSession() {
    ui = new UiFixture(dir, TOKEN);
    String cookie = session();
    String csrf = UiFixture.csrf(ui.get("/ui", cookie));

    HttpResponse<String> none = ui.post("/ui/logout", cookie, "");
    assertThat(none.statusCode()).isEqualTo(403);
    assertThat(none.body())
        .contains("403 Forbidden", "the form carries no CSRF token (field csrf)");
    HttpResponse<String> other = ui.post("/ui/logout", cookie, "csrf=" + csrf + "x");
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.body()).contains("not this session's");
    assertThat(ui.get("/ui", cookie).statusCode()).as("still logged in").isEqualTo(200);

    HttpResponse<String> out = ui.post("/ui/logout", cookie, "csrf=" + csrf);
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.headers().firstValue("Location")).hasValue("/ui/login");
    assertThat(out.headers().allValues("Set-Cookie"))
        .anySatisfy(
            c -> assertThat(c).startsWith(UiRoutes.SESSION_COOKIE + "=;").contains("Max-Age=0"));
    assertThat(ui.get("/ui", cookie).statusCode()).isEqualTo(303);
    assertThat(ui.post("/ui/logout", cookie, "csrf=" + csrf).body()).contains("no session");
  }

  @Test
  void whatAClientSendsIsBoundedAndErrorsNameTheCulprit() {
    ui = new UiFixture(dir, TOKEN);
    String cookie = session();
    String csrf = UiFixture.csrf(ui.get("/ui", cookie));

    HttpResponse<String> big = ui.post("/ui/logout", cookie, "csrf=" + "x".repeat(Form.MAX_BYTES));
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(big.body()).contains("a form may hold at most 8192 bytes");
    HttpResponse<String> unknown = ui.post("/ui/logout", cookie, "csrf=" + csrf + "&evil=1");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("field 'evil' is not one of this form's: csrf");
    HttpResponse<String> twice = ui.post("/ui/logout", cookie, "csrf=" + csrf + "&csrf=" + csrf);
    assertThat(twice.statusCode()).isEqualTo(400);
    assertThat(twice.body()).contains("field 'csrf' is given more than once");
    HttpResponse<String> json =
        ui.send(
            java.net.http.HttpRequest.newBuilder(ui.uri("/ui/logout"))
                .header("Cookie", cookie)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(json.statusCode()).isEqualTo(415);
    assertThat(ui.get("/ui/nowhere", cookie).body()).contains("no page at /ui/nowhere");
    assertThat(ui.get("/ui/nowhere", cookie).statusCode()).isEqualTo(404);
    assertThat(ui.get("/ui", cookie).statusCode())
        .as("all refused, still logged in")
        .isEqualTo(200);
  }

  @Test
  void sessionsAreBoundedTheOldestEndingFirst() {
    ui = new UiFixture(dir, TOKEN);
    String first = session();
    ui.time.advance(Duration.ofSeconds(1));
    session();
    session();
    assertThat(ui.get("/ui", first).statusCode()).isEqualTo(200);
    session();
    assertThat(ui.sessions.size()).isEqualTo(3);
    assertThat(ui.get("/ui", first).statusCode()).as("the oldest ended").isEqualTo(303);
  }

  @Test
  void htmxAndTheStylesheetComeFromTheJar() {
    ui = new UiFixture(dir, TOKEN);
    HttpResponse<String> htmx = ui.get("/ui/static/htmx.min.js", null);
    assertThat(htmx.statusCode()).isEqualTo(200);
    assertThat(htmx.headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(htmx.body()).contains("htmx");
    assertThat(ui.get("/ui/static/ui.css", null).body()).contains("--ok");
    HttpResponse<String> none = ui.get("/ui/static/other.js", null);
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(none.body()).contains("no file other.js under /ui/static");
  }

  private String session() {
    HttpResponse<String> r = login(TOKEN);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
    return UiFixture.cookie(r, UiRoutes.SESSION_COOKIE);
  }

  private HttpResponse<String> login(String token) {
    HttpResponse<String> form = ui.get("/ui/login", null);
    assertThat(form.statusCode()).isEqualTo(200);
    return ui.post(
        "/ui/login",
        UiFixture.cookie(form, UiRoutes.LOGIN_COOKIE),
        "csrf="
            + UiFixture.csrf(form)
            + "&token="
            + URLEncoder.encode(token, StandardCharsets.UTF_8));
  }
}
