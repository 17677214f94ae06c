package dev.paritysync.core.http;

import java.util.HexFormat;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * A W3C Trace Context {@code traceparent}: {@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex
 * flags>}. New roots and children are sampled ({@code 01}). Immutable and thread-safe; ids come
 * from the {@link RandomGenerator} passed in, so a seeded generator makes them reproducible.
 *
 * @see <a href="https://www.w3.org/TR/trace-context/#traceparent-header">W3C traceparent</a>
 */
public final class TraceContext {
  private static final HexFormat HEX = HexFormat.of();
  private static final String ZERO_TRACE = "0".repeat(32);
  private static final String ZERO_SPAN = "0".repeat(16);

  private final String traceId;
  private final String spanId;
  private final String flags;

  private TraceContext(String traceId, String spanId, String flags) {
    this.traceId = traceId;
    this.spanId = spanId;
    this.flags = flags;
  }

  /** A new sampled trace with a random trace id and span id. */
  public static TraceContext newRoot(RandomGenerator random) {
    Objects.requireNonNull(random, "random");
    return new TraceContext(
        randomHex(random, 16, ZERO_TRACE), randomHex(random, 8, ZERO_SPAN), "01");
  }

  /**
   * Parses a {@code traceparent} header value.
   *
   * @throws IllegalArgumentException quoting the value and saying what is wrong with it
   */
  public static TraceContext parse(String traceparent) {
    String problem = problem(traceparent);
    if (problem != null) {
      throw new IllegalArgumentException("invalid traceparent '" + traceparent + "': " + problem);
    }
    return new TraceContext(
        traceparent.substring(3, 35), traceparent.substring(36, 52), traceparent.substring(53, 55));
  }

  /**
   * Whether {@code traceparent} is a valid header value ({@link #parse(String)} would accept it).
   */
  public static boolean isValid(String traceparent) {
    return problem(traceparent) == null;
  }

  /** A child span: the same trace id and flags, a new random span id. */
  public TraceContext child(RandomGenerator random) {
    return new TraceContext(traceId, randomHex(random, 8, ZERO_SPAN), flags);
  }

  /** The 32 lower-case hex digits of the trace id. */
  public String traceId() {
    return traceId;
  }

  /** The 16 lower-case hex digits of this span's id. */
  public String spanId() {
    return spanId;
  }

  /** Whether the sampled flag is set. */
  public boolean sampled() {
    return (HexFormat.fromHexDigits(flags) & 1) == 1;
  }

  /** The {@code traceparent} header value, version {@code 00}. */
  public String header() {
    return "00-" + traceId + '-' + spanId + '-' + flags;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TraceContext t
        && traceId.equals(t.traceId)
        && spanId.equals(t.spanId)
        && flags.equals(t.flags);
  }

  @Override
  public int hashCode() {
    return Objects.hash(traceId, spanId, flags);
  }

  @Override
  public String toString() {
    return header();
  }

  private static @Nullable String problem(@Nullable String s) {
    if (s == null) {
      return "missing";
    }
    if (s.length() < 55) {
      return "too short";
    }
    if (s.charAt(2) != '-' || s.charAt(35) != '-' || s.charAt(52) != '-') {
      return "expected version-traceid-parentid-flags separated by '-'";
    }
    String version = s.substring(0, 2);
    if (!isLowerHex(version) || version.equals("ff")) {
      return "bad version " + version;
    }
    // version 00 has exactly four fields; later versions may append more after a '-'
    if (version.equals("00") ? s.length() != 55 : s.length() > 55 && s.charAt(55) != '-') {
      return "unexpected text after the flags";
    }
    String trace = s.substring(3, 35);
    String span = s.substring(36, 52);
    if (!isLowerHex(trace) || trace.equals(ZERO_TRACE)) {
      return "trace id must be 32 lower-case hex digits, not all zero";
    }
    if (!isLowerHex(span) || span.equals(ZERO_SPAN)) {
      return "parent id must be 16 lower-case hex digits, not all zero";
    }
    if (!isLowerHex(s.substring(53, 55))) {
      return "flags must be 2 lower-case hex digits";
    }
    return null;
  }

  private static boolean isLowerHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static String randomHex(RandomGenerator random, int bytes, String zero) {
    byte[] b = new byte[bytes];
    String hex;
    do {
      random.nextBytes(b);
      hex = HEX.formatHex(b);
    } while (hex.equals(zero));
    return hex;
  }
}
