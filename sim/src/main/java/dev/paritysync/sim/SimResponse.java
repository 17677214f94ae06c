package dev.paritysync.sim;

import java.util.Map;

/**
 * What the engine decided to answer, before it reaches the wire.
 *
 * @param delivery {@link Delivery#RESET} has no status, headers or body
 */
record SimResponse(
    int status, Map<String, String> headers, String contentType, byte[] body, Delivery delivery) {

  enum Delivery {
    /** Answer at once. */
    NOW,
    /** Answer after the configured slow delay. */
    SLOW,
    /** Close the connection without answering. */
    RESET
  }

  static final SimResponse RESET = new SimResponse(0, Map.of(), null, null, Delivery.RESET);

  SimResponse slow() {
    return new SimResponse(status, headers, contentType, body, Delivery.SLOW);
  }
}
