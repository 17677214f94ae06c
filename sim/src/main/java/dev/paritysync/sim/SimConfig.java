package dev.paritysync.sim;

import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.core.config.Window;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link SimChannel} behaves: its seed, limits, quotas, faults, outages and credentials.
 * Immutable; build one with {@link #newBuilder()}, {@link #healthy(long)}, {@link #flaky(long)},
 * {@link #outage(long, Duration, Duration)} or {@link #fromMap(Map)}.
 *
 * <p>Defaults: seed 0, port 0 (ephemeral), 100 updates per request, 1 MiB bodies, no quotas,
 * Retry-After in seconds, no faults, slow responses 1 s late, no outages, no conflict cells, no
 * rate floor, no OAuth, idempotency keys honoured, no added latency, the {@code native} dialect.
 *
 * @param seed seeds the fault dice and the token generator; the same seed and the same sequence of
 *     requests give the same faults
 * @param port the loopback port to bind, 0 for an ephemeral one
 * @param maxUpdatesPerRequest more updates in one POST answer 422
 * @param maxBodyBytes a larger body answers 413
 * @param quotas per endpoint kind ({@code ari} for POST, {@code read} for GET; a dialect may count
 *     its writes under kinds of its own, see {@link #QUOTA_KINDS}), the windows that apply per
 *     property at once, as {@code N/period} strings ({@code 10/1m}, {@code 5/500ms})
 * @param retryAfterStyle how 429 and outage 503 responses say when to come back
 * @param p500 probability that a request draws a 500
 * @param p502 probability of a 502
 * @param p503 probability of a 503 (without Retry-After)
 * @param p504 probability of a 504
 * @param p429 probability of a 429 unrelated to the quota (server-wide throttling), with a 1 s
 *     Retry-After in {@code retryAfterStyle}
 * @param pReset probability that the connection is closed without a response
 * @param pSlow probability that the response is held back by {@code slowDelay}
 * @param slowDelay real time a slow response is held back; meant to exceed the client's timeout
 * @param outages windows since the channel started, on the injected clock, that answer 503 (core
 *     configuration's {@link Window}: {@code [from, to)}, {@code 0 <= from < to})
 * @param conflictCells cells, as {@code property/room/ratePlan/date}, that answer 409 when written
 * @param rateFloor a rate below it answers 422; null for none
 * @param oauth when not null, the ARI API requires a Bearer token from {@code POST /oauth/token}
 * @param honorIdempotencyKeys when false the channel ignores {@code Idempotency-Key} (a channel
 *     that does not support it) but still counts applications per key, so double applications show
 * @param latency real time every ARI response (read or write, but not a reset) is held back after
 *     the request was handled, as a distant channel's round trip would be; added to {@code
 *     slowDelay} for a slow response; zero for none
 * @param dialect the wire format of the ARI API, one of {@link #DIALECTS} ({@code docs/sim.md}
 *     describes each): its routes, bodies and error bodies. {@link Builder#build()} checks it;
 *     {@link SimChannel#start} fails on a name it does not know
 * @param sharedSecret the shared secret a dialect with one (Build-To-Us) requires (in the {@code
 *     shared_secret} query parameter or body field), or null to accept any; never shown by {@code
 *     toString}
 * @param pDropUpdate probability that one update of a write that passed every check (one date range
 *     of one room and rate plan) is silently dropped: the write is answered 2xx as if applied, but
 *     the channel keeps what it held. Drawn per update from its own dice seeded with {@code seed},
 *     independent of the fault dice; {@link SimChannel#droppedCells} names the cells whose newest
 *     write was dropped
 */
public record SimConfig(
    long seed,
    int port,
    int maxUpdatesPerRequest,
    long maxBodyBytes,
    Map<String, List<String>> quotas,
    RetryAfterStyle retryAfterStyle,
    double p500,
    double p502,
    double p503,
    double p504,
    double p429,
    double pReset,
    double pSlow,
    Duration slowDelay,
    List<Window> outages,
    Set<String> conflictCells,
    @Nullable BigDecimal rateFloor,
    @Nullable OAuth oauth,
    boolean honorIdempotencyKeys,
    Duration latency,
    String dialect,
    @Nullable String sharedSecret,
    double pDropUpdate) {

  /** The dialects a channel may speak, the default first. */
  public static final Set<String> DIALECTS = Dialects.BUILT_IN.names();

  /** The endpoint kinds that take quotas: {@code ari}, {@code read} and the dialects' own. */
  public static final Set<String> QUOTA_KINDS = Dialects.BUILT_IN.quotaKinds();

  /** How a throttled or unavailable response tells the client when to retry. */
  public enum RetryAfterStyle {
    /** {@code Retry-After: 7} */
    SECONDS,
    /** {@code Retry-After: Thu, 01 Jan 2026 00:00:07 GMT}, measured on the channel's clock. */
    HTTP_DATE,
    /** No Retry-After header; only {@code X-RateLimit-Reset} on 429s. */
    ABSENT
  }

  /** Client credentials the token endpoint accepts, and how long its tokens live. */
  public record OAuth(String clientId, String clientSecret, Duration tokenTtl) {
    public OAuth {
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(clientSecret, "clientSecret");
      Objects.requireNonNull(tokenTtl, "tokenTtl");
      if (tokenTtl.isNegative() || tokenTtl.isZero()) {
        throw new IllegalArgumentException("oauth.tokenTtl must be positive, got " + tokenTtl);
      }
    }

    @Override
    public String toString() {
      return "OAuth[clientId=" + clientId + ", clientSecret=[redacted], tokenTtl=" + tokenTtl + "]";
    }
  }

  public SimConfig {
    Objects.requireNonNull(retryAfterStyle, "retryAfterStyle");
    Objects.requireNonNull(slowDelay, "slowDelay");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(dialect, "dialect");
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative, got " + latency);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    if (maxUpdatesPerRequest < 1) {
      throw new IllegalArgumentException(
          "maxUpdatesPerRequest must be at least 1, got " + maxUpdatesPerRequest);
    }
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be at least 1, got " + maxBodyBytes);
    }
    if (slowDelay.isNegative()) {
      throw new IllegalArgumentException("slowDelay must not be negative, got " + slowDelay);
    }
    quotas = SimConfigChecks.quotas(quotas, Dialects.BUILT_IN);
    SimConfigChecks.probabilities(
        new double[] {p500, p502, p503, p504, p429, pReset, pSlow}, pDropUpdate);
    outages = List.copyOf(outages);
    for (String cell : conflictCells) {
      SimConfigChecks.parseCell("conflictCells", cell);
    }
    conflictCells = Set.copyOf(conflictCells);
    if (rateFloor != null && rateFloor.signum() < 0) {
      throw new IllegalArgumentException("rateFloor must not be negative, got " + rateFloor);
    }
    if (sharedSecret != null && sharedSecret.isEmpty()) {
      throw new IllegalArgumentException("sharedSecret must not be empty; leave it out for none");
    }
  }

  /** The components, with the shared secret shown as {@code [redacted]}. */
  @Override
  public String toString() {
    return "SimConfig[seed="
        + seed
        + ", port="
        + port
        + ", maxUpdatesPerRequest="
        + maxUpdatesPerRequest
        + ", maxBodyBytes="
        + maxBodyBytes
        + ", quotas="
        + quotas
        + ", retryAfterStyle="
        + retryAfterStyle
        + ", faults=["
        + String.join(
            ", ",
            "p500=" + p500,
            "p502=" + p502,
            "p503=" + p503,
            "p504=" + p504,
            "p429=" + p429,
            "pReset=" + pReset,
            "pSlow=" + pSlow)
        + "], slowDelay="
        + slowDelay
        + ", outages="
        + outages
        + ", conflictCells="
        + conflictCells
        + ", rateFloor="
        + rateFloor
        + ", oauth="
        + oauth
        + ", honorIdempotencyKeys="
        + honorIdempotencyKeys
        + ", latency="
        + latency
        + ", dialect="
        + dialect
        + ", sharedSecret="
        + (sharedSecret == null ? null : "[redacted]")
        + ", pDropUpdate="
        + pDropUpdate
        + "]";
  }

  /** A builder with the defaults. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** A builder holding this configuration, to derive another. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** No faults, no quotas: a channel that always works. */
  public static SimConfig healthy(long seed) {
    return newBuilder().withSeed(seed).build();
  }

  /**
   * About 30% of ARI requests fail: 18% 5xx, 5% random 429, 5% connection resets, 2% slow (1 s);
   * plus per-property quotas of 20/1s and 600/1m on writes.
   */
  public static SimConfig flaky(long seed) {
    return newBuilder()
        .withSeed(seed)
        .withP500(0.06)
        .withP502(0.04)
        .withP503(0.05)
        .withP504(0.03)
        .withP429(0.05)
        .withPReset(0.05)
        .withPSlow(0.02)
        .withQuota("ari", "20/1s", "600/1m")
        .build();
  }

  /** A healthy channel that answers 503 from {@code from} to {@code to} after it started. */
  public static SimConfig outage(long seed, Duration from, Duration to) {
    return newBuilder().withSeed(seed).withOutage(from, to).build();
  }

  /**
   * A configuration from a map, as loaded from YAML. Keys are the record's component names, plus
   * {@code preset} ({@code healthy} or {@code flaky}) as the starting point; {@code quotas} maps
   * {@code ari}/{@code read} to a list of {@code N/period}; {@code outages} is a list of maps with
   * {@code from} and {@code to}; {@code oauth} a map with {@code clientId}, {@code clientSecret}
   * and {@code tokenTtl}. Durations are strings like {@code 500ms}, {@code 10s}, {@code 2m}, {@code
   * 1h} or ISO-8601 ({@code PT10S}). Errors name the offending key.
   *
   * @throws IllegalArgumentException naming the key, for an unknown key or an invalid value
   */
  public static SimConfig fromMap(Map<String, ?> map) {
    return from(new ConfigMap("", map));
  }

  /**
   * A configuration from the mapping {@code config} (a file's top level, or a section of a larger
   * file), with the keys {@link #fromMap} describes; errors name the key path under {@code
   * config}'s own path.
   *
   * @throws IllegalArgumentException naming the key path, for an unknown key or an invalid value
   */
  public static SimConfig from(ConfigMap config) {
    return SimConfigReader.read(config);
  }

  /** Builds {@link SimConfig}s. Not thread-safe; {@link #build()} copies, so reuse is safe. */
  public static final class Builder {
    private long seed;
    private int port;
    private int maxUpdatesPerRequest = 100;
    private long maxBodyBytes = 1024 * 1024;
    private final Map<String, List<String>> quotas = new LinkedHashMap<>();
    private RetryAfterStyle retryAfterStyle = RetryAfterStyle.SECONDS;
    private double p500;
    private double p502;
    private double p503;
    private double p504;
    private double p429;
    private double pReset;
    private double pSlow;
    private Duration slowDelay = Duration.ofSeconds(1);
    private final List<Window> outages = new ArrayList<>();
    private final Set<String> conflictCells = new LinkedHashSet<>();
    private @Nullable BigDecimal rateFloor;
    private @Nullable OAuth oauth;
    private boolean honorIdempotencyKeys = true;
    private Duration latency = Duration.ZERO;
    private String dialect = Dialects.BUILT_IN.defaultName();
    private @Nullable String sharedSecret;
    private double pDropUpdate;

    Builder() {}

    Builder(SimConfig c) {
      seed = c.seed;
      port = c.port;
      maxUpdatesPerRequest = c.maxUpdatesPerRequest;
      maxBodyBytes = c.maxBodyBytes;
      quotas.putAll(c.quotas);
      retryAfterStyle = c.retryAfterStyle;
      p500 = c.p500;
      p502 = c.p502;
      p503 = c.p503;
      p504 = c.p504;
      p429 = c.p429;
      pReset = c.pReset;
      pSlow = c.pSlow;
      pDropUpdate = c.pDropUpdate;
      slowDelay = c.slowDelay;
      outages.addAll(c.outages);
      conflictCells.addAll(c.conflictCells);
      rateFloor = c.rateFloor;
      oauth = c.oauth;
      honorIdempotencyKeys = c.honorIdempotencyKeys;
      latency = c.latency;
      dialect = c.dialect;
      sharedSecret = c.sharedSecret;
    }

    public Builder withSeed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder withPort(int port) {
      this.port = port;
      return this;
    }

    public Builder withMaxUpdatesPerRequest(int max) {
      this.maxUpdatesPerRequest = max;
      return this;
    }

    public Builder withMaxBodyBytes(long max) {
      this.maxBodyBytes = max;
      return this;
    }

    /**
     * Replaces the quota windows of {@code kind} ({@code ari}, {@code read}, or a dialect's own,
     * see {@link SimConfig#QUOTA_KINDS}).
     */
    public Builder withQuota(String kind, String... specs) {
      quotas.put(Objects.requireNonNull(kind, "kind"), List.of(specs));
      return this;
    }

    public Builder withRetryAfterStyle(RetryAfterStyle style) {
      this.retryAfterStyle = Objects.requireNonNull(style, "style");
      return this;
    }

    public Builder withP500(double p) {
      this.p500 = p;
      return this;
    }

    public Builder withP502(double p) {
      this.p502 = p;
      return this;
    }

    public Builder withP503(double p) {
      this.p503 = p;
      return this;
    }

    public Builder withP504(double p) {
      this.p504 = p;
      return this;
    }

    public Builder withP429(double p) {
      this.p429 = p;
      return this;
    }

    public Builder withPReset(double p) {
      this.pReset = p;
      return this;
    }

    public Builder withPSlow(double p) {
      this.pSlow = p;
      return this;
    }

    public Builder withSlowDelay(Duration delay) {
      this.slowDelay = Objects.requireNonNull(delay, "delay");
      return this;
    }

    /** Adds an outage window, {@code [from, to)} after the channel started. */
    public Builder withOutage(Duration from, Duration to) {
      outages.add(new Window(from, to));
      return this;
    }

    /** Adds a cell, {@code property/room/ratePlan/date}, that answers 409 when written. */
    public Builder withConflictCell(String cell) {
      conflictCells.add(Objects.requireNonNull(cell, "cell"));
      return this;
    }

    public Builder withRateFloor(BigDecimal floor) {
      this.rateFloor = floor;
      return this;
    }

    public Builder withOAuth(String clientId, String clientSecret, Duration tokenTtl) {
      this.oauth = new OAuth(clientId, clientSecret, tokenTtl);
      return this;
    }

    public Builder withIdempotencyKeysHonored(boolean honored) {
      this.honorIdempotencyKeys = honored;
      return this;
    }

    /** Holds every ARI response back {@code latency} in real time; default zero. */
    public Builder withLatency(Duration latency) {
      this.latency = Objects.requireNonNull(latency, "latency");
      return this;
    }

    /** Speaks {@code dialect}, one of {@link SimConfig#DIALECTS}; default the first, native. */
    public Builder withDialect(String dialect) {
      this.dialect = Objects.requireNonNull(dialect, "dialect");
      return this;
    }

    /** Requires {@code secret} as the channel's shared secret (Build-To-Us); default none. */
    public Builder withSharedSecret(String secret) {
      this.sharedSecret = secret;
      return this;
    }

    /**
     * Silently drops each update of an accepted write with probability {@code p} (answered 2xx, not
     * applied); default 0.
     */
    public Builder withPDropUpdate(double p) {
      this.pDropUpdate = p;
      return this;
    }

    /** A new immutable configuration; fails naming the setting when one is invalid. */
    public SimConfig build() {
      return build(Dialects.BUILT_IN);
    }

    /** {@link #build()}, with the dialect one of {@code dialects}. */
    SimConfig build(Dialects dialects) {
      dialects.get(dialect);
      return new SimConfig(
          seed,
          port,
          maxUpdatesPerRequest,
          maxBodyBytes,
          quotas,
          retryAfterStyle,
          p500,
          p502,
          p503,
          p504,
          p429,
          pReset,
          pSlow,
          slowDelay,
          outages,
          conflictCells,
          rateFloor,
          oauth,
          honorIdempotencyKeys,
          latency,
          dialect,
          sharedSecret,
          pDropUpdate);
    }
  }
}
