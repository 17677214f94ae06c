package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.paritysync.app.config.EngineFileConfig;
import dev.paritysync.app.server.ApiServer;
import dev.paritysync.app.server.OpenApiRoutes;
import dev.paritysync.app.telemetry.Metrics;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /openapi.json} documents exactly the routes {@code serve} mounts, its references resolve,
 * and {@code docs/api.md} or {@code docs/admin-api.md} names every path.
 */
class OpenApiDocumentTest {
  @TempDir Path dir;

  @Test
  @SuppressWarnings("unchecked")
  void documentsExactlyTheMountedRoutes() throws Exception {
    JsonNode doc = new ObjectMapper().readTree(OpenApiRoutes.load());
    Set<String> documented = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      path.getValue()
          .fieldNames()
          .forEachRemaining(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey()));
    }

    Map<String, Object> yaml =
        new ObjectMapper(new YAMLFactory())
            .readValue(
                "portfolio: {properties: {P1: {timezone: UTC, rooms: {DBL: {ratePlans: {BAR:"
                    + " EUR}}}}}}\n"
                    + "channels: {a: {adapter: native, baseUrl: \"http://127.0.0.1:9/\","
                    + " credentials: {apiKey: {header: X-Api-Key, value: \"${env:K}\"}},"
                    + " mapping: {rooms: {DBL: D1}, ratePlans: {BAR: R1}}}}\n",
                Map.class);
    EngineFileConfig cfg =
        EngineFileConfig.fromMap(yaml, SecretResolver.fromMap(Map.of("env:K", "k")));
    VirtualTime time = new VirtualTime(Instant.parse("2026-03-01T00:00:00Z"));
    Set<String> mounted = new TreeSet<>();
    try (Database db =
            Database.open(
                DatabaseConfig.builder()
                    .withSqliteFile(dir.resolve("o.db"))
                    .withMigrations("classpath:db/migration/hotel")
                    .withMigrations("classpath:db/migration/api")
                    .build());
        Transport transport = Transport.builder().withClock(time).build();
        HotelEngine engine =
            HotelEngine.builder()
                .withDatabase(db)
                .withClock(time)
                .withScheduler(time)
                .withTransport(transport)
                .withPortfolio(cfg.portfolio())
                .withChannels(cfg.channels())
                .build()) {
      ApiServer.Builder b = ApiServer.builder();
      ServeCommand.routes(
              cfg, db, engine, time, Metrics.applicationOnly(), OpenTelemetry.noop(), () -> false)
          .forEach(b::withRoutes);
      mounted.addAll(b.build().routes());
      // the web UI's pages are HTML for people, documented in docs/ui.md, not API operations
      mounted.removeIf(r -> r.contains(" /ui"));
    }

    assertThat(documented).isEqualTo(mounted);

    String text = new String(OpenApiRoutes.load(), java.nio.charset.StandardCharsets.UTF_8);
    java.util.regex.Matcher refs =
        java.util.regex.Pattern.compile("\"#/components/schemas/([A-Za-z]+)\"").matcher(text);
    while (refs.find()) {
      assertThat(doc.get("components").get("schemas").has(refs.group(1)))
          .as("schema %s is defined", refs.group(1))
          .isTrue();
    }
    String apiDoc =
        Files.readString(Path.of("..", "docs", "api.md"))
            + Files.readString(Path.of("..", "docs", "admin-api.md"));
    doc.get("paths").fieldNames().forEachRemaining(p -> assertThat(apiDoc).contains(p));
  }
}
