package dev.paritysync.sim;

import org.jspecify.annotations.Nullable;

/** A request as a {@link Route}'s handler sees it: no HTTP server types, so dialects need none. */
interface SimRequest {

  /** The header {@code name}, or null. */
  @Nullable String header(String name);

  /** The query parameter {@code name}, or null. */
  @Nullable String queryParam(String name);

  /** The path parameter {@code name} of the route's path. */
  String pathParam(String name);

  /** The body, read once; null when it exceeds {@link SimConfig#maxBodyBytes()}. */
  byte @Nullable [] body();
}
