package dev.paritysync.sim;

import java.util.List;

/**
 * The simulator's own JSON dialect, the default: {@code POST /v1/properties/{property}/ari} with
 * {@code {"updates":[...]}}, answered {@code {"applied": cells}}, errors as RFC 9457 problem
 * documents with JSON pointers (see {@link NativeCodec}). It adds no route but its write.
 */
final class NativeDialect implements Dialect {
  static final NativeDialect INSTANCE = new NativeDialect();

  private NativeDialect() {}

  @Override
  public String name() {
    return "native";
  }

  @Override
  public AriCodec codec() {
    return NativeCodec.INSTANCE;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.post(
            "/v1/properties/{property}/ari",
            (r, engine) ->
                engine.postAri(
                    r.pathParam("property"),
                    r.header("Authorization"),
                    r.header("Idempotency-Key"),
                    r.body())));
  }
}
