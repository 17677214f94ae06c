package dev.paritysync.app.ui;

import dev.paritysync.core.time.Clock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The UI's sessions, in memory: at most {@code max} at once, each with an absolute expiry and its
 * own CSRF token. A login past the bound ends the session closest to its expiry (the oldest), so a
 * flood of logins can grow nothing. A restart ends every session. Thread-safe.
 */
final class Sessions {
  /** How long a session lasts from its login. */
  static final Duration TTL = Duration.ofHours(8);

  /** How many sessions live at once. */
  static final int MAX = 64;

  /**
   * One session.
   *
   * @param id the cookie's value: 32 random bytes, base64url
   * @param csrf the token every state-changing form of this session carries
   * @param expires when the session ends
   */
  record Session(String id, String csrf, Instant expires) {}

  private final Clock clock;
  private final Duration ttl;
  private final int max;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> live = new LinkedHashMap<>();

  Sessions(Clock clock, Duration ttl, int max) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("session ttl must be positive: " + ttl);
    }
    if (max < 1) {
      throw new IllegalArgumentException("at least one session must fit: " + max);
    }
    this.ttl = ttl;
    this.max = max;
  }

  /** A new session, ending the oldest when {@code max} are live. */
  synchronized Session open() {
    Instant now = clock.instant();
    live.values().removeIf(s -> !s.expires().isAfter(now));
    while (live.size() >= max) {
      live.values().stream()
          .min(Comparator.comparing(Session::expires))
          .ifPresent(s -> live.remove(s.id()));
    }
    Session s = new Session(token(), token(), now.plus(ttl));
    live.put(s.id(), s);
    return s;
  }

  /** The live session whose id is {@code id}; empty when unknown, null or expired. */
  synchronized Optional<Session> find(@Nullable String id) {
    if (id == null) {
      return Optional.empty();
    }
    Session s = live.get(id);
    if (s == null) {
      return Optional.empty();
    }
    if (!s.expires().isAfter(clock.instant())) {
      live.remove(id);
      return Optional.empty();
    }
    return Optional.of(s);
  }

  /** Ends the session {@code id}, if live. */
  synchronized void close(String id) {
    if (id != null) {
      live.remove(id);
    }
  }

  /** How many sessions are held (expired ones included until next touched). */
  synchronized int size() {
    return live.size();
  }

  /** How long a session lasts. */
  Duration ttl() {
    return ttl;
  }

  /** 32 random bytes, base64url without padding: also the form of a login form's token. */
  String token() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
