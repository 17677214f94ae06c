package dev.paritysync.app.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.paritysync.app.config.EngineFileConfig;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.hotel.engine.HotelEngineBuilder;
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
import java.util.Map;

/**
 * A real SQLite file, a hotel engine that is built but not started (nothing is delivered), and an
 * {@link ApiServer} on a free loopback port with the routes a test mounts; virtual time.
 */
final class ApiFixture implements AutoCloseable {
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

  static final ObjectMapper JSON = new ObjectMapper();

  final VirtualTime time = new VirtualTime(Instant.parse("2026-03-01T00:00:00Z"));
  final Path file;
  final Database db;
  final Transport transport = Transport.builder().withClock(time).build();
  final HotelEngine engine;
  final EngineFileConfig cfg;
  final HttpClient http = HttpClient.newHttpClient();
  ApiServer server;

  ApiFixture(Path dir) {
    this(dir, YAML, Map.of());
  }

  /**
   * A fixture on configuration {@code yaml}, whose secret references resolve from {@code secrets}.
   */
  ApiFixture(Path dir, String yaml, Map<String, String> secrets) {
    this(dir, yaml, secrets, b -> {});
  }

  /** As above, {@code customize} adding options to the engine's builder. */
  ApiFixture(
      Path dir,
      String yaml,
      Map<String, String> secrets,
      java.util.function.Consumer<HotelEngineBuilder> customize) {
    this(
        Database.open(
            DatabaseConfig.builder()
                .withSqliteFile(dir.resolve("api.db"))
                .withMigrations("classpath:db/migration/hotel")
                .withMigrations("classpath:db/migration/api")
                .build()),
        dir.resolve("api.db"),
        yaml,
        secrets,
        customize);
  }

  /**
   * A fixture on {@code db} (migrated with the hotel and API migrations; SQLite file {@code file},
   * or null for PostgreSQL), which the fixture closes, with the default configuration.
   */
  ApiFixture(Database db, Path file) {
    this(db, file, YAML, Map.of(), b -> {});
  }

  private ApiFixture(
      Database db,
      Path file,
      String yaml,
      Map<String, String> secrets,
      java.util.function.Consumer<HotelEngineBuilder> customize) {
    this.file = file;
    this.db = db;
    cfg = config(yaml, secrets);
    HotelEngineBuilder b =
        HotelEngine.builder()
            .withDatabase(db)
            .withClock(time)
            .withScheduler(time)
            .withTransport(transport)
            .withPortfolio(cfg.portfolio())
            .withChannels(cfg.channels());
    customize.accept(b);
    engine = b.build();
  }

  @SuppressWarnings("unchecked")
  static EngineFileConfig config(String yaml, Map<String, String> secrets) {
    try {
      Map<String, Object> map = new ObjectMapper(new YAMLFactory()).readValue(yaml, Map.class);
      Map<String, String> all = new java.util.HashMap<>(secrets);
      all.put("env:KEY", "k");
      return EngineFileConfig.fromMap(map, SecretResolver.fromMap(all));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ApiServer start(ApiServer.Builder builder) {
    server = builder.build().start();
    return server;
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

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  static JsonNode json(HttpResponse<String> r) {
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    engine.close();
    transport.close();
    db.close();
  }
}
