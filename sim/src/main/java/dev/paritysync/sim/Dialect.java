package dev.paritysync.sim;

import java.util.List;

/**
 * One wire dialect of the simulated channel, chosen by {@link SimConfig#dialect()}: the routes it
 * adds, the codec its answers and errors are written in, and the quota kinds its writes count
 * against. Everything else (state, rules, quotas, faults, idempotency, OAuth, the reservation feed,
 * {@code GET /v1/properties/{property}/ari} and the stats) is the channel's, the same in every
 * dialect.
 *
 * <p>A new dialect is a class implementing this (with its {@link AriCodec} and {@link FieldMap})
 * and one line in {@link Dialects#BUILT_IN}; nothing else in the simulator names it.
 * Implementations are immutable and thread-safe.
 */
interface Dialect {

  /** The name {@link SimConfig#dialect()} gives, such as {@code native}. */
  String name();

  /**
   * The codec of the channel's own routes in this dialect: reads, errors of auth, quota, outage and
   * faults, and writes that come through {@link SimEngine#postAri(String, String, String, byte[])}.
   */
  AriCodec codec();

  /**
   * The quota kinds this dialect's writes count against, besides {@code read}; by default {@code
   * ari}. A kind other than {@code ari} is accepted in {@link SimConfig#quotas()}.
   */
  default List<String> writeKinds() {
    return List.of("ari");
  }

  /** The routes this dialect adds to the channel's own. */
  List<Route> routes();
}
