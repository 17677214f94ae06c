package dev.paritysync.sim;

import java.util.List;

/**
 * A Channex-style dialect: the write endpoints are {@code POST /api/v1/availability} (room-type
 * values) and {@code POST /api/v1/restrictions} (rate-plan values), each with {@code
 * {"values":[...]}} (the property is each value's {@code property_id}) and counted against the
 * quota kinds {@code availability} and {@code restrictions}; reads are {@code GET
 * /api/v1/availability} and {@code GET /api/v1/restrictions} with Channex's {@code
 * filter[property_id]}, {@code filter[date][gte]} and {@code filter[date][lte]}. Error bodies are
 * Channex-style {@code {"errors":{"code","title","details":{path:[msg]}}}} (see {@link
 * ChannexCodec}); everything else, state included, is the channel's.
 */
final class ChannexDialect implements Dialect {
  static final ChannexDialect INSTANCE = new ChannexDialect();

  private ChannexDialect() {}

  @Override
  public String name() {
    return "channex";
  }

  @Override
  public AriCodec codec() {
    return ChannexCodec.INSTANCE;
  }

  @Override
  public List<String> writeKinds() {
    return List.of("availability", "restrictions");
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.post("/api/v1/availability", (r, e) -> write(r, e, ChannexCodec.AVAILABILITY)),
        Route.post("/api/v1/restrictions", (r, e) -> write(r, e, ChannexCodec.RESTRICTIONS)),
        Route.get("/api/v1/availability", (r, e) -> read(r, e, ChannexCodec.AVAILABILITY)),
        Route.get("/api/v1/restrictions", (r, e) -> read(r, e, ChannexCodec.RESTRICTIONS)));
  }

  /** A write to {@code endpoint}, counted against the quota kind of the same name. */
  private static SimResponse write(SimRequest r, SimEngine engine, ChannexCodec endpoint) {
    byte[] body = r.body();
    return engine.postAri(
        endpoint,
        endpoint.kind(),
        body == null ? "" : ChannexCodec.property(body),
        r.header("Authorization"),
        r.header("Idempotency-Key"),
        body);
  }

  /**
   * Channex's listings: {@code ?filter[property_id]=P&filter[date][gte]=…&filter[date][lte]=…},
   * answered in {@code endpoint}'s format.
   */
  private static SimResponse read(SimRequest r, SimEngine engine, ChannexCodec endpoint) {
    String property = r.queryParam("filter[property_id]");
    return engine.getAri(
        endpoint,
        property == null ? "" : property,
        r.header("Authorization"),
        r.queryParam("filter[date][gte]"),
        r.queryParam("filter[date][lte]"));
  }
}
