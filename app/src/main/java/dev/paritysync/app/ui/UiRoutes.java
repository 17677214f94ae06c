package dev.paritysync.app.ui;

import dev.paritysync.app.admin.ChannelAdmin;
import dev.paritysync.app.admin.ClusterAdmin;
import dev.paritysync.app.admin.ParityDay;
import dev.paritysync.app.admin.ParityMap;
import dev.paritysync.app.admin.QueueAdmin;
import dev.paritysync.app.admin.ReconcileAdmin;
import dev.paritysync.app.server.BearerToken;
import dev.paritysync.app.server.Routes;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.store.Database;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web UI under {@code /ui}: server-rendered pages (jte templates, compiled at build time) with
 * htmx for live refreshes, readable with JavaScript off. See docs/ui.md.
 *
 * <p>Security: the UI is off (every path answers 404 saying so) unless {@code server.adminToken} is
 * configured. The token is given once on the login form and exchanged for a session cookie ({@code
 * HttpOnly}, {@code SameSite=Strict}, {@code Secure} when the request came over TLS, ending after
 * {@link Sessions#TTL}); sessions live in memory, at most {@link Sessions#MAX}. Every
 * state-changing form carries a CSRF token checked on the server (the session's, or for the login
 * form a token bound to a short-lived cookie); a POST without it is 403. Every page is sent with a
 * strict Content-Security-Policy ({@link #CSP}: no inline script or style). Thread-safe.
 */
public final class UiRoutes implements Routes {
  /** The prefix of every UI path. */
  public static final String PREFIX = "/ui";

  /** The Content-Security-Policy of every UI response. */
  public static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
          + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  static final String SESSION_COOKIE = "paritysync_ui";
  static final String LOGIN_COOKIE = "paritysync_ui_login";
  static final Duration LOGIN_FORM_TTL = Duration.ofMinutes(10);
  private static final String SESSION = UiRoutes.class.getName() + ".session";
  private static final Logger log = LoggerFactory.getLogger(UiRoutes.class);

  private final BearerToken token;
  private final ChannelAdmin channels;
  private final Clock clock;
  private final Sessions sessions;
  private final TemplateEngine templates;
  private final Assets assets;
  private final QueuePages queues;
  private final ReconciliationPages reconciliation;
  private final ConflictPages conflicts;
  private final RoyaltyPages royalty;
  private final ClusterPage cluster;
  private final LiveStreams live;
  private final ParityPages parity;

  /**
   * What the UI shows and acts through: the admin API's views and operations.
   *
   * @param channels the channels' state (the overview)
   * @param queues dead letters and reconciliation items
   * @param reconcile reconciliation reports, runs, approvals and conflicts
   * @param db the database, for the royalty tables and the overview's ledger reads
   * @param cluster workers, leases, shared quota and circuits
   */
  public record Backends(
      ChannelAdmin channels,
      QueueAdmin queues,
      ReconcileAdmin reconcile,
      Database db,
      ClusterAdmin cluster) {
    /** Every backend is required. */
    public Backends {
      Objects.requireNonNull(channels, "channels");
      Objects.requireNonNull(queues, "queues");
      Objects.requireNonNull(reconcile, "reconcile");
      Objects.requireNonNull(db, "db");
      Objects.requireNonNull(cluster, "cluster");
    }
  }

  /**
   * The UI over {@code backends}, reading time from {@code clock}; {@code adminToken} null turns it
   * off.
   */
  public UiRoutes(@Nullable Secret adminToken, Backends backends, Clock clock) {
    this(
        adminToken,
        backends,
        clock,
        new Sessions(clock, Sessions.TTL, Sessions.MAX),
        new LazyScheduler(clock));
  }

  /** As above, with {@code sessions}, and the live overview's ticks on {@code scheduler}. */
  UiRoutes(
      @Nullable Secret adminToken,
      Backends backends,
      Clock clock,
      Sessions sessions,
      Scheduler scheduler) {
    this.token = new BearerToken(adminToken, "paritysync-admin", "the web UI", "server.adminToken");
    this.channels = backends.channels();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.templates =
        TemplateEngine.createPrecompiled(
            null, ContentType.Html, UiRoutes.class.getClassLoader(), "dev.paritysync.app.ui");
    this.assets = Assets.load();
    this.queues = new QueuePages(this, backends.queues(), clock);
    this.reconciliation = new ReconciliationPages(this, backends.reconcile(), clock);
    this.conflicts = new ConflictPages(this, backends.queues(), backends.reconcile(), clock);
    this.royalty = new RoyaltyPages(this, backends.db(), clock);
    this.cluster = new ClusterPage(this, backends.cluster(), backends.db());
    this.live = new LiveStreams(scheduler, sessions, this::liveTable);
    ParityMap map = backends.channels().parityMap(clock);
    this.parity = new ParityPages(this, map, new ParityDay(map));
  }

  @Override
  public void addTo(RoutesConfig app) {
    app.exception(UiException.class, this::problem);
    app.exception(ToLogin.class, UiRoutes::toLogin);
    app.before(PREFIX, this::guard);
    app.before(PREFIX + "/*", this::guard);
    if (!token.configured()) {
      app.get(PREFIX, UiRoutes::off);
      app.get(PREFIX + "/*", UiRoutes::off);
      app.post(PREFIX + "/*", UiRoutes::off);
      return;
    }
    app.get(PREFIX + "/static/{name}", this::asset);
    app.get(PREFIX + "/login", this::loginForm);
    app.post(PREFIX + "/login", this::login);
    app.post(PREFIX + "/logout", this::logout);
    app.get(PREFIX, this::overview);
    app.get(PREFIX + "/channels", this::channelsFragment);
    queues.addTo(app);
    reconciliation.addTo(app, conflicts);
    app.get(PREFIX + "/royalty", royalty::overview);
    app.get(PREFIX + "/royalty/dead-letters", royalty::rows);
    app.get(PREFIX + "/cluster", cluster::show);
    app.get(PREFIX + "/live", ctx -> live.open(ctx, session(ctx)));
    app.get(PREFIX + "/parity", parity::page);
    app.get(PREFIX + "/parity/map", parity::fragment);
    app.get(PREFIX + "/parity/{channel}/{property}/{date}", parity::night);
    app.get(PREFIX + "/*", ctx -> notFound(ctx));
    app.post(PREFIX + "/*", ctx -> notFound(ctx));
  }

  /** Headers on every UI response, and the session check on every path that needs one. */
  private void guard(Context ctx) {
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "no-referrer");
    String path = ctx.path();
    if (!token.configured() || path.startsWith(PREFIX + "/static/")) {
      return;
    }
    ctx.header("Cache-Control", "no-store");
    if (path.equals(PREFIX + "/login")) {
      return;
    }
    Optional<Sessions.Session> s = sessions.find(ctx.cookie(SESSION_COOKIE));
    if (s.isPresent()) {
      ctx.attribute(SESSION, s.get());
      return;
    }
    if (!ctx.method().name().equals("GET")) {
      throw UiException.forbidden(
          "no session: it ended (sessions last "
              + Sessions.TTL.toHours()
              + " h) or never began;"
              + " log in again");
    }
    // Thrown, not skipRemainingHandlers(): that would skip the server's after-handlers too, and
    // with them the release of this request's admission slot.
    throw new ToLogin(ctx.header("HX-Request") != null);
  }

  /** A request without a session: a page goes to the login form; htmx is told to go there. */
  private static final class ToLogin extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean htmx;

    ToLogin(boolean htmx) {
      super("no session", null, false, false);
      this.htmx = htmx;
    }
  }

  private static void toLogin(ToLogin e, Context ctx) {
    if (e.htmx) {
      // htmx asking for a fragment: send the whole page to the login form instead
      ctx.header("HX-Redirect", PREFIX + "/login");
      ctx.status(HttpStatus.UNAUTHORIZED).result("");
    } else {
      ctx.redirect(PREFIX + "/login", HttpStatus.SEE_OTHER);
    }
  }

  private static void off(Context ctx) {
    throw UiException.notFound("the web UI is off: configure server.adminToken to use it");
  }

  private static void notFound(Context ctx) {
    throw UiException.notFound("no page at " + ctx.path());
  }

  private void asset(Context ctx) {
    Assets.Asset a = assets.get(ctx.pathParam("name"));
    if (a == null) {
      throw UiException.notFound(
          "no file " + ctx.pathParam("name") + " under " + PREFIX + "/static");
    }
    ctx.header("Cache-Control", "public, max-age=3600");
    ctx.contentType(a.type()).result(a.bytes());
  }

  private void loginForm(Context ctx) {
    if (sessions.find(ctx.cookie(SESSION_COOKIE)).isPresent()) {
      ctx.redirect(PREFIX, HttpStatus.SEE_OTHER);
      return;
    }
    showLogin(ctx, 200, null);
  }

  /** The login form, bound to a fresh token in a short-lived cookie (login CSRF). */
  private void showLogin(Context ctx, int status, @Nullable String error) {
    String formToken = sessions.token();
    cookie(ctx, LOGIN_COOKIE, formToken, PREFIX + "/login", LOGIN_FORM_TTL.toSeconds());
    page(ctx, status, "login.jte", params("csrf", formToken, "error", error));
  }

  private void login(Context ctx) {
    Form form = Form.read(ctx, Set.of("csrf", "token"));
    String expected = ctx.cookie(LOGIN_COOKIE);
    if (expected == null || !constantEquals(expected, form.get("csrf"))) {
      throw UiException.forbidden(
          "the login form's CSRF token is missing or stale (forms last "
              + LOGIN_FORM_TTL.toMinutes()
              + " min): open the login page again");
    }
    String given = form.get("token");
    if (given == null || given.isEmpty()) {
      showLogin(ctx, 400, "Give the admin token.");
      return;
    }
    if (!token.matches(given.strip())) {
      log.warn("a UI login from {} gave a wrong admin token", ctx.ip());
      showLogin(ctx, 401, "That is not the token of server.adminToken.");
      return;
    }
    Sessions.Session s = sessions.open();
    cookie(ctx, LOGIN_COOKIE, "", PREFIX + "/login", 0);
    cookie(ctx, SESSION_COOKIE, s.id(), PREFIX, sessions.ttl().toSeconds());
    ctx.redirect(PREFIX, HttpStatus.SEE_OTHER);
  }

  private void logout(Context ctx) {
    Sessions.Session s = checkedForm(ctx, Set.of("csrf")).session();
    sessions.close(s.id());
    cookie(ctx, SESSION_COOKIE, "", PREFIX, 0);
    ctx.redirect(PREFIX + "/login", HttpStatus.SEE_OTHER);
  }

  /**
   * The session of a state-changing request after checking its form's CSRF token; the form is read
   * (and bounded) by {@link Form#read}.
   */
  Checked checkedForm(Context ctx, Set<String> fields) {
    Sessions.Session s = session(ctx);
    Form form = Form.read(ctx, fields);
    String csrf = form.get("csrf");
    if (csrf == null || !constantEquals(s.csrf(), csrf)) {
      throw UiException.forbidden(
          csrf == null
              ? "the form carries no CSRF token (field csrf): send it from a page of this UI"
              : "the form's CSRF token is not this session's: reload the page and send it again");
    }
    return new Checked(s, form);
  }

  /**
   * A state-changing form whose CSRF token matched its session.
   *
   * @param session the session that sent it
   * @param form its fields
   */
  record Checked(Sessions.Session session, Form form) {}

  private void overview(Context ctx) {
    Sessions.Session s = session(ctx);
    page(ctx, 200, "overview.jte", params("overview", overviewNow(s)));
  }

  private void channelsFragment(Context ctx) {
    Sessions.Session s = session(ctx);
    page(ctx, 200, "channels.jte", params("overview", overviewNow(s)));
  }

  private Overview overviewNow(Sessions.@Nullable Session s) {
    List<ChannelAdmin.ChannelView> views = channels.all();
    Instant now = clock.instant();
    Map<String, LiveStats.Stats> stats =
        LiveStats.read(
            channels.database(), views.stream().map(ChannelAdmin.ChannelView::name).toList(), now);
    return Overview.of(views, stats, now, s == null ? null : s.csrf());
  }

  /** The channel table for the live streams: the same fragment as {@code /ui/channels}. */
  private String liveTable() {
    StringOutput out = new StringOutput();
    templates.render("channels.jte", params("overview", overviewNow(null)), out);
    return out.toString();
  }

  /** The live overview's streams. */
  LiveStreams live() {
    return live;
  }

  /** Ends the live overview's streams: they would hold back the drain. */
  @Override
  public void draining() {
    live.drain();
  }

  static Sessions.Session session(Context ctx) {
    Sessions.Session s = ctx.attribute(SESSION);
    if (s == null) {
      throw new IllegalStateException("no session on " + ctx.path() + ": the guard did not run");
    }
    return s;
  }

  private void problem(UiException e, Context ctx) {
    Sessions.Session s = ctx.attribute(SESSION);
    ctx.header("Content-Security-Policy", CSP);
    page(
        ctx,
        e.status(),
        "error.jte",
        params(
            "status",
            e.status(),
            "title",
            e.title(),
            "message",
            e.getMessage(),
            "csrf",
            s == null ? null : s.csrf()));
  }

  /** Renders {@code template} with {@code params} as the answer, with {@code status}. */
  void page(Context ctx, int status, String template, Map<String, Object> params) {
    StringOutput out = new StringOutput();
    templates.render(template, params, out);
    ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
  }

  /** A template's parameters from name, value pairs; a value may be null. */
  static Map<String, Object> params(@Nullable Object... pairs) {
    Map<String, Object> out = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put((String) pairs[i], pairs[i + 1]);
    }
    return out;
  }

  private static void cookie(Context ctx, String name, String value, String path, long maxAge) {
    boolean tls = ctx.req().isSecure() || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    ctx.res()
        .addHeader(
            "Set-Cookie",
            name
                + "="
                + value
                + "; Path="
                + path
                + "; Max-Age="
                + maxAge
                + "; HttpOnly; SameSite=Strict"
                + (tls ? "; Secure" : ""));
  }

  private static boolean constantEquals(String a, @Nullable String b) {
    return b != null
        && MessageDigest.isEqual(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
