package dev.paritysync.sim;

import dev.paritysync.core.time.Clock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * Issues and checks Bearer tokens for the client-credentials grant. Tokens come from a random
 * seeded apart from the fault dice, so token requests never shift the fault sequence; they expire
 * after the configured TTL on the injected clock. Thread-safe.
 */
final class Tokens {
  enum Check {
    VALID,
    MISSING,
    EXPIRED,
    UNKNOWN
  }

  private final SimConfig.OAuth oauth;
  private final Clock clock;
  private final Random random;
  private final Map<String, Long> expiries = new HashMap<>();

  Tokens(SimConfig.OAuth oauth, Clock clock, long seed) {
    this.oauth = oauth;
    this.clock = clock;
    this.random = new Random(seed ^ 0x5EED_70CE_4E11L);
  }

  boolean credentialsMatch(@Nullable String clientId, @Nullable String clientSecret) {
    // Both compared every time, in constant time, so neither leaks through timing.
    boolean id = constantTimeEquals(clientId, oauth.clientId());
    boolean secret = constantTimeEquals(clientSecret, oauth.clientSecret());
    return id & secret;
  }

  synchronized String issue() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    String token = "sim-" + HexFormat.of().formatHex(bytes);
    long now = clock.nanoTime();
    // Long runs issue many tokens; forget those that expired over a TTL ago (they read as unknown).
    expiries.values().removeIf(expiry -> now - expiry > oauth.tokenTtl().toNanos());
    expiries.put(token, now + oauth.tokenTtl().toNanos());
    return token;
  }

  long ttlSeconds() {
    return oauth.tokenTtl().toSeconds();
  }

  synchronized Check check(@Nullable String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return Check.MISSING;
    }
    String a = authorization.trim();
    if (a.length() < 7 || !a.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Check.MISSING;
    }
    Long expiry = expiries.get(a.substring(7).trim());
    if (expiry == null) {
      return Check.UNKNOWN;
    }
    return clock.nanoTime() - expiry < 0 ? Check.VALID : Check.EXPIRED;
  }

  private static boolean constantTimeEquals(@Nullable String a, String b) {
    return a != null
        && MessageDigest.isEqual(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
