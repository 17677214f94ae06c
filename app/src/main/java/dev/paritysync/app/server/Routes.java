package dev.paritysync.app.server;

import io.javalin.config.RoutesConfig;

/**
 * A group of HTTP routes that {@code paritysync serve} mounts on its server: the PMS ingest API,
 * webhooks, the admin API, metrics and health. Implementations register their handlers in {@link
 * #addTo} and answer errors by throwing {@link ProblemException}, which the server turns into an
 * RFC 9457 {@code application/problem+json} response. Handlers run on the server's request threads
 * at once, so an implementation must be thread-safe.
 */
@FunctionalInterface
public interface Routes {

  /**
   * Registers this group's handlers on {@code app}, Javalin's routing configuration; called once,
   * before the server starts.
   */
  void addTo(RoutesConfig app);

  /**
   * The server began to drain (it refuses new requests from now on): a group that holds responses
   * open past {@link ApiServer#detach} ends them now. Called once, on the thread that closes the
   * server; by default nothing.
   */
  default void draining() {}
}
