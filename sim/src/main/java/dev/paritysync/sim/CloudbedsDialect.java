package dev.paritysync.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The Cloudbeds OTA Build-To-Us dialect: the channel plays an OTA of the contract. {@code POST
 * /ARIUpdate} writes (the property is the body's {@code ota_property_id}) and {@code POST /GetARI}
 * reads the widest window the body's {@code rooms} ask for, both answering the contract's bodies
 * (see {@link CloudbedsCodec}). When {@link SimConfig#sharedSecret()} is set, both answer 401
 * (error 9201) unless the {@code shared_secret} query parameter, or the body field when the
 * parameter is absent, matches it, and a body field that is present matches it too.
 */
final class CloudbedsDialect implements Dialect {
  static final CloudbedsDialect INSTANCE = new CloudbedsDialect();

  private CloudbedsDialect() {}

  @Override
  public String name() {
    return "cloudbeds";
  }

  @Override
  public AriCodec codec() {
    return CloudbedsCodec.INSTANCE;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.post("/ARIUpdate", CloudbedsDialect::update),
        Route.post("/GetARI", CloudbedsDialect::read));
  }

  private static SimResponse update(SimRequest r, SimEngine engine) {
    byte[] body = r.body();
    if (!sharedSecretMatches(r, body, engine.config().sharedSecret())) {
      return engine.sharedSecretMismatch();
    }
    return engine.postAri(
        body == null ? "" : CloudbedsCodec.property(body),
        r.header("Authorization"),
        r.header("Idempotency-Key"),
        body);
  }

  private static SimResponse read(SimRequest r, SimEngine engine) {
    byte[] body = r.body();
    if (!sharedSecretMatches(r, body, engine.config().sharedSecret())) {
      return engine.sharedSecretMismatch();
    }
    CloudbedsCodec.Read read;
    try {
      read = CloudbedsCodec.read(body == null ? new byte[0] : body);
    } catch (AriCodec.MalformedBody e) {
      return engine.malformedRead(e.errors());
    }
    return engine.getAri(
        read.property(), r.header("Authorization"), read.from().toString(), read.to().toString());
  }

  private static boolean sharedSecretMatches(
      SimRequest r, byte @Nullable [] body, @Nullable String expected) {
    if (expected == null) {
      return true;
    }
    String inBody = body == null ? null : CloudbedsCodec.sharedSecret(body);
    String inQuery = r.queryParam("shared_secret");
    String given = inQuery != null ? inQuery : inBody;
    return same(given, expected) && (inBody == null || same(inBody, expected));
  }

  private static boolean same(@Nullable String given, String expected) {
    return given != null
        && MessageDigest.isEqual(
            given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }
}
