package dev.paritysync.sim;

import java.util.Objects;

/**
 * One HTTP route a {@link Dialect} adds to the simulated channel: a method, a path (with Javalin's
 * {@code {param}} placeholders) and what answers it. The channel reads the request, the handler
 * asks the engine for the answer, and the channel delivers it (with latency, slowness or a reset),
 * so a dialect never touches the HTTP server.
 *
 * @param method GET or POST
 * @param path the path, such as {@code /v1/properties/{property}/ari}
 * @param handler what answers it
 */
record Route(Method method, String path, Handler handler) {

  /** The HTTP methods a dialect's route may have. */
  enum Method {
    GET,
    POST
  }

  /** Answers one request on the channel's engine. */
  @FunctionalInterface
  interface Handler {
    SimResponse answer(SimRequest request, SimEngine engine);
  }

  Route {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(handler, "handler");
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("route path must start with '/', got '" + path + "'");
    }
  }

  /** {@code POST path}. */
  static Route post(String path, Handler handler) {
    return new Route(Method.POST, path, handler);
  }

  /** {@code GET path}. */
  static Route get(String path, Handler handler) {
    return new Route(Method.GET, path, handler);
  }
}
