package dev.paritysync.app.server;

import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.1 document of the whole HTTP API, the same one {@code
 * docs/api.md} describes. A test keeps it equal to the routes the server mounts. Thread-safe: the
 * document is read once, when constructed, and never changed.
 */
public final class OpenApiRoutes implements Routes {
  /** The classpath resource holding the document. */
  public static final String RESOURCE = "/dev/paritysync/app/server/openapi.json";

  private final byte[] document;

  /** Loads the document from {@link #RESOURCE}. */
  public OpenApiRoutes() {
    this.document = load();
  }

  /** The document's bytes (UTF-8 JSON). */
  public static byte[] load() {
    try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + RESOURCE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  @Override
  public void addTo(RoutesConfig app) {
    app.get("/openapi.json", ctx -> ctx.contentType("application/json").result(document));
  }
}
