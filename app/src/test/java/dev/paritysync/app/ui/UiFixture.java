package dev.paritysync.app.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.paritysync.app.admin.ChannelAdmin;
import dev.paritysync.app.admin.ClusterAdmin;
import dev.paritysync.app.admin.QueueAdmin;
import dev.paritysync.app.admin.ReconcileAdmin;
import dev.paritysync.app.config.EngineFileConfig;
import dev.paritysync.app.server.ApiServer;
import dev.paritysync.app.server.SlowPeers;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A real SQLite file, a hotel engine built but not started, and an {@link ApiServer} on a free
 * loopback port with only the UI mounted; virtual time. Requests follow no redirect.
 */
final class UiFixture implements AutoCloseable {
  static final String YAML =
      "portfolio:\n"
          + "  properties:\n"
          + "    P1: {timezone: UTC, rooms: {DBL: {ratePlans: {BAR: EUR}}}}\n"
          + "channels:\n"
          + "  a:\n"
          + "    adapter: native\n"
          + "    baseUrl: http://127.0.0.1:9/\n"
          + "    credentials: {apiKey: {header: X-Api-Key, value: \"${env:KEY}\"}}\n"
          + "    mapping: {rooms: {DBL: D1}, ratePlans: {BAR: R1}}\n";

  final VirtualTime time;
  final Database db;
  final Transport transport;
  final HotelEngine engine;
  final Sessions sessions;
  final UiRoutes routes;
  final ApiServer server;
  final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  /** The UI guarded by {@code token} (null: off). */
  UiFixture(Path dir, String token) {
    this(token, "jdbc:sqlite:" + dir.resolve("ui.db"), YAML, SlowPeers.DEFAULTS);
  }

  /** The UI guarded by {@code token} over the engine {@code yaml} configures (its {@code KEY}). */
  UiFixture(Path dir, String token, String yaml) {
    this(token, "jdbc:sqlite:" + dir.resolve("ui.db"), yaml, SlowPeers.DEFAULTS);
  }

  /**
   * The UI guarded by {@code token} over the engine configured by {@code yaml}, with {@code peers}.
   */
  UiFixture(Path dir, String token, String yaml, SlowPeers peers) {
    this(token, "jdbc:sqlite:" + dir.resolve("ui.db"), yaml, peers);
  }

  /** The UI guarded by {@code token} (null: off) over the database at JDBC {@code url}. */
  UiFixture(String token, String url) {
    this(token, url, YAML, SlowPeers.DEFAULTS);
  }

  /**
   * The UI guarded by {@code token} (null: off) over the database at JDBC {@code url} and the
   * engine {@code yaml} configures (its {@code KEY}), the server bounding slow peers by {@code
   * peers}.
   */
  UiFixture(String token, String url, String yaml, SlowPeers peers) {
    this(token, url, yaml, peers, new VirtualTime(Instant.parse("2026-03-01T00:00:00Z")));
  }

  /** As above, on {@code time} (which a simulated channel of the test may share). */
  @SuppressWarnings("unchecked")
  UiFixture(String token, String url, String yaml, SlowPeers peers, VirtualTime time) {
    this.time = time;
    this.transport = Transport.builder().withClock(time).build();
    db =
        Database.open(
            DatabaseConfig.builder()
                .withUrl(url)
                .withMigrations("classpath:db/migration/hotel")
                .withMigrations("classpath:db/migration/api")
                .build());
    EngineFileConfig cfg;
    try {
      Map<String, Object> map = new ObjectMapper(new YAMLFactory()).readValue(yaml, Map.class);
      cfg = EngineFileConfig.fromMap(map, SecretResolver.fromMap(Map.of("env:KEY", "k")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    engine =
        HotelEngine.builder()
            .withDatabase(db)
            .withClock(time)
            .withScheduler(time)
            .withTransport(transport)
            .withPortfolio(cfg.portfolio())
            .withChannels(cfg.channels())
            .build();
    sessions = new Sessions(time, Sessions.TTL, 3);
    routes =
        new UiRoutes(
            token == null ? null : Secret.of(token),
            new UiRoutes.Backends(
                new ChannelAdmin(engine, db),
                new QueueAdmin(db, time),
                new ReconcileAdmin(engine, db, time, cfg.reconciliation(), List.of("P1")),
                db,
                ClusterAdmin.of(db, time, EngineFileConfig.ClusterConfig.DEFAULTS.aliveWithin())),
            time,
            sessions,
            time);
    server = ApiServer.builder().withRoutes(routes).withSlowPeers(peers).build().start();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> get(String path, String cookie) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return send(b);
  }

  /** Logs in with {@code token}: the session cookie ({@code name=value}). */
  String session(String token) {
    HttpResponse<String> form = get("/ui/login", null);
    java.util.regex.Matcher csrf =
        java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(form.body());
    if (!csrf.find()) {
      throw new AssertionError("no csrf field in " + form.body());
    }
    HttpResponse<String> in =
        post(
            "/ui/login",
            cookie(form, UiRoutes.LOGIN_COOKIE),
            "csrf=" + csrf.group(1) + "&token=" + token);
    return cookie(in, UiRoutes.SESSION_COOKIE);
  }

  /** The cookie {@code name} that {@code r} sets, as {@code name=value} for a Cookie header. */
  static String cookie(HttpResponse<String> r, String name) {
    return r.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith(name + "="))
        .map(c -> c.substring(0, c.indexOf(';')))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no cookie " + name + " in " + r.headers()));
  }

  HttpResponse<String> post(String path, String cookie, String form) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return send(b);
  }

  @Override
  public void close() {
    server.close();
    engine.close();
    transport.close();
    db.close();
  }

  /** The CSRF token of the first form of {@code page}. */
  static String csrf(HttpResponse<String> page) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
    if (!m.find()) {
      throw new AssertionError("no csrf field in " + page.body());
    }
    return m.group(1);
  }
}
