package dev.paritysync.sim;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the engine decided to answer, before it reaches the wire.
 *
 * @param delivery {@link Delivery#RESET} has no status, headers or body
 */
record SimResponse(
    int status,
    Map<String, String> headers,
    @Nullable String contentType,
    byte @Nullable [] body,
    Delivery delivery) {

  enum Delivery {
    /** Answer at once. */
    NOW,
    /** Answer after the configured slow delay. */
    SLOW,
    /** Close the connection without answering. */
    RESET
  }

  static final SimResponse RESET = new SimResponse(0, Map.of(), null, null, Delivery.RESET);

  /** An answer sent at once, with a copy of {@code headers}. */
  static SimResponse now(Map<String, String> headers, int status, String contentType, byte[] body) {
    return new SimResponse(status, Map.copyOf(headers), contentType, body, Delivery.NOW);
  }

  SimResponse slow() {
    return new SimResponse(status, headers, contentType, body, Delivery.SLOW);
  }
}
