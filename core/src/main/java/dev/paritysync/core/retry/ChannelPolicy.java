package dev.paritysync.core.retry;

import dev.paritysync.core.backoff.Backoff;
import dev.paritysync.core.backoff.Jitter;
import dev.paritysync.core.breaker.BreakerConfig;
import dev.paritysync.core.budget.RetryBudget;
import dev.paritysync.core.classify.ClassificationTable;
import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.core.headers.ResetMode;
import dev.paritysync.core.headers.WaitCeiling;
import dev.paritysync.core.quota.QuotaLimit;
import dev.paritysync.core.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the resilience core needs to know about one channel: backoff, classification table,
 * the ceiling on server-requested waits, how its rate-limit reset header is meant, retry budget,
 * quotas per endpoint kind, circuit breaker and concurrency. Immutable; {@link Builder#build()}
 * copies.
 *
 * <p>{@link #builder(String)} starts from core's neutral defaults, each the component's own: {@link
 * Backoff#builder()}'s backoff, {@link ClassificationTable#defaults()}, {@link
 * WaitCeiling#defaults()}, delta-seconds resets, {@link RetryBudget}'s defaults, no quotas, {@link
 * BreakerConfig#defaults()} and {@value #DEFAULT_CONCURRENCY} requests in flight. An application
 * states its own defaults as a policy and reads configuration over it with {@link
 * #fromConfig(ChannelPolicy, ConfigMap)}; the hotel engine's are in {@code
 * dev.paritysync.hotel.channel.HotelDefaults}, the one place they are written.
 */
public final class ChannelPolicy {
  /** Requests in flight per channel when the builder is not told otherwise. */
  public static final int DEFAULT_CONCURRENCY = 4;

  private final String channel;
  private final Backoff backoff;
  private final ClassificationTable classification;
  private final WaitCeiling waitCeiling;
  private final ResetMode resetMode;
  private final double budgetRatio;
  private final int budgetMinRetries;
  private final Duration budgetWindow;
  private final BreakerConfig breaker;
  private final Map<String, List<QuotaLimit>> quotas;
  private final int concurrency;

  private ChannelPolicy(Builder b) {
    this.channel = b.channel;
    this.backoff = b.backoff;
    this.classification = b.classification;
    this.waitCeiling = b.waitCeiling;
    this.resetMode = b.resetMode;
    this.budgetRatio = b.budgetRatio;
    this.budgetMinRetries = b.budgetMinRetries;
    this.budgetWindow = b.budgetWindow;
    this.breaker = b.breaker;
    Map<String, List<QuotaLimit>> q = new LinkedHashMap<>();
    b.quotas.forEach((k, v) -> q.put(k, List.copyOf(v)));
    this.quotas = Map.copyOf(q);
    this.concurrency = b.concurrency;
  }

  /** A builder for {@code channel}, over core's neutral defaults (see the class comment). */
  public static Builder builder(String channel) {
    return new Builder(channel);
  }

  /** Core's neutral defaults for {@code channel}: {@code builder(channel).build()}. */
  public static ChannelPolicy defaults(String channel) {
    return builder(channel).build();
  }

  /**
   * Reads a channel's {@code resilience} mapping (see docs/resilience.md for every key) over {@code
   * defaults}: a key left out keeps the default's value, configured quotas replace the default's
   * for their endpoint, and configured classification rows go over the default's table. The channel
   * is the default's. Unknown keys and bad values fail with the full key path in the message.
   */
  public static ChannelPolicy fromConfig(ChannelPolicy defaults, ConfigMap config) {
    Builder b = defaults.toBuilder();
    b.withBackoff(backoff(defaults.backoff(), config.child("backoff")));
    b.withWaitCeiling(
        new WaitCeiling(config.duration("maxServerWait", defaults.waitCeiling().max())));
    b.withResetMode(resetMode(defaults.resetMode(), config));
    retryBudget(defaults, config.child("retryBudget"), b);

    ConfigMap quotas = config.child("quotas");
    for (String endpoint : quotas.asMap().keySet()) {
      List<QuotaLimit> limits = new ArrayList<>();
      List<String> texts = quotas.list(endpoint, String.class);
      for (int i = 0; i < texts.size(); i++) {
        try {
          limits.add(QuotaLimit.parse(texts.get(i)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              quotas.key(endpoint) + "[" + i + "]: " + e.getMessage(), e);
        }
      }
      b.withQuota(endpoint, limits);
    }

    b.withBreaker(breaker(defaults.breaker(), config.child("circuitBreaker")));
    b.withConcurrency(config.integer("concurrency", defaults.concurrency()));

    if (config.has("classification")) {
      b.withClassification(
          ClassificationTable.fromConfig(config.maps("classification"), defaults.classification()));
    }
    config.rejectUnknown();
    return b.build();
  }

  private static Backoff backoff(Backoff d, ConfigMap backoff) {
    Jitter jitter = d.jitter();
    if (backoff.has("jitter")) {
      try {
        jitter = Jitter.parse(backoff.string("jitter", ""));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(backoff.key("jitter") + ": " + e.getMessage(), e);
      }
    }
    Duration base = backoff.positiveDuration("base", d.base());
    double multiplier = backoff.decimal("multiplier", d.multiplier());
    Duration cap = backoff.positiveDuration("cap", d.cap());
    int maxRetries = backoff.integer("maxRetries", d.maxRetries());
    Backoff read;
    try {
      read =
          Backoff.builder()
              .withBase(base)
              .withMultiplier(multiplier)
              .withCap(cap)
              .withMaxRetries(maxRetries)
              .withJitter(jitter)
              .build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(backoff.path() + ": " + e.getMessage(), e);
    }
    backoff.rejectUnknown();
    return read;
  }

  private static ResetMode resetMode(ResetMode d, ConfigMap config) {
    String fallback = d == ResetMode.EPOCH_SECONDS ? "epoch" : "delta";
    String reset = config.string("rateLimitReset", fallback).trim().toLowerCase(Locale.ROOT);
    switch (reset) {
      case "delta":
        return ResetMode.DELTA_SECONDS;
      case "epoch":
        return ResetMode.EPOCH_SECONDS;
      default:
        throw new IllegalArgumentException(
            config.key("rateLimitReset") + ": '" + reset + "' must be delta or epoch");
    }
  }

  private static void retryBudget(ChannelPolicy d, ConfigMap budget, Builder b) {
    double ratio = budget.decimalIn("ratio", d.budgetRatio(), 0, 10);
    int minRetries = budget.integerIn("minRetries", d.budgetMinRetries(), 0, Integer.MAX_VALUE);
    Duration window = budget.durationAtLeast("window", Duration.ofMillis(10), d.budgetWindow());
    b.withRetryBudget(ratio, minRetries, window);
    budget.rejectUnknown();
  }

  private static BreakerConfig breaker(BreakerConfig bd, ConfigMap cb) {
    BreakerConfig read =
        new BreakerConfig(
            failureRatePercent(bd, cb),
            cb.integer("window", bd.slidingWindowSize()),
            cb.integer("minimumCalls", bd.minimumCalls()),
            cb.integer("consecutiveFailures", bd.consecutiveFailures()),
            cb.positiveDuration("open", bd.openDuration()),
            cb.integer("halfOpenCalls", bd.halfOpenCalls()));
    cb.rejectUnknown();
    return read;
  }

  /** {@code failureRate: 50%}, {@code 50} and {@code 0.5} all mean half the calls. */
  private static float failureRatePercent(BreakerConfig bd, ConfigMap cb) {
    double v = cb.decimal("failureRate", bd.failureRateThreshold());
    boolean percentSign = String.valueOf(cb.raw("failureRate")).trim().endsWith("%");
    double percent = percentSign ? v * 100 : (v <= 1 ? v * 100 : v);
    if (!(percent > 0) || percent > 100) {
      throw new IllegalArgumentException(
          cb.key("failureRate") + ": must be between 0 and 100 %, was " + cb.raw("failureRate"));
    }
    return (float) percent;
  }

  public String channel() {
    return channel;
  }

  public Backoff backoff() {
    return backoff;
  }

  public ClassificationTable classification() {
    return classification;
  }

  public WaitCeiling waitCeiling() {
    return waitCeiling;
  }

  public ResetMode resetMode() {
    return resetMode;
  }

  public double budgetRatio() {
    return budgetRatio;
  }

  public int budgetMinRetries() {
    return budgetMinRetries;
  }

  public Duration budgetWindow() {
    return budgetWindow;
  }

  /** A fresh retry budget with this policy's ratio, floor and window, on {@code clock}. */
  public RetryBudget newRetryBudget(Clock clock) {
    return RetryBudget.builder(clock)
        .withRatio(budgetRatio)
        .withMinRetries(budgetMinRetries)
        .withWindow(budgetWindow)
        .build();
  }

  public BreakerConfig breaker() {
    return breaker;
  }

  /** Quota windows per endpoint kind ({@code ari}, {@code read}, …); {@code *} applies to all. */
  public Map<String, List<QuotaLimit>> quotas() {
    return quotas;
  }

  public int concurrency() {
    return concurrency;
  }

  public Builder toBuilder() {
    Builder b = new Builder(channel);
    b.backoff = backoff;
    b.classification = classification;
    b.waitCeiling = waitCeiling;
    b.resetMode = resetMode;
    b.budgetRatio = budgetRatio;
    b.budgetMinRetries = budgetMinRetries;
    b.budgetWindow = budgetWindow;
    b.breaker = breaker;
    b.quotas.putAll(quotas);
    b.concurrency = concurrency;
    return b;
  }

  /** Builds a {@link ChannelPolicy}. Not thread-safe. */
  public static final class Builder {
    private final String channel;
    private Backoff backoff = Backoff.builder().build();
    private ClassificationTable classification = ClassificationTable.defaults();
    private WaitCeiling waitCeiling = WaitCeiling.defaults();
    private ResetMode resetMode = ResetMode.DELTA_SECONDS;
    private double budgetRatio = RetryBudget.DEFAULT_RATIO;
    private int budgetMinRetries = RetryBudget.DEFAULT_MIN_RETRIES;
    private Duration budgetWindow = RetryBudget.DEFAULT_WINDOW;
    private BreakerConfig breaker = BreakerConfig.defaults();
    private final Map<String, List<QuotaLimit>> quotas = new LinkedHashMap<>();
    private int concurrency = DEFAULT_CONCURRENCY;

    private Builder(String channel) {
      this.channel = Objects.requireNonNull(channel, "channel");
      if (channel.isBlank()) {
        throw new IllegalArgumentException("a channel needs a name");
      }
    }

    public Builder withBackoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    public Builder withClassification(ClassificationTable table) {
      this.classification = Objects.requireNonNull(table, "classification");
      return this;
    }

    public Builder withWaitCeiling(WaitCeiling ceiling) {
      this.waitCeiling = Objects.requireNonNull(ceiling, "waitCeiling");
      return this;
    }

    public Builder withResetMode(ResetMode mode) {
      this.resetMode = Objects.requireNonNull(mode, "resetMode");
      return this;
    }

    public Builder withRetryBudget(double ratio, int minRetries, Duration window) {
      this.budgetRatio = ratio;
      this.budgetMinRetries = minRetries;
      this.budgetWindow = Objects.requireNonNull(window, "window");
      return this;
    }

    public Builder withBreaker(BreakerConfig breaker) {
      this.breaker = Objects.requireNonNull(breaker, "breaker");
      return this;
    }

    /** Quota windows for one endpoint kind, per scope; replaces earlier ones for that kind. */
    public Builder withQuota(String endpoint, List<QuotaLimit> limits) {
      quotas.put(Objects.requireNonNull(endpoint, "endpoint"), List.copyOf(limits));
      return this;
    }

    public Builder withConcurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    public ChannelPolicy build() {
      if (concurrency < 1 || concurrency > 1024) {
        throw new IllegalArgumentException(
            "channel " + channel + ": concurrency must be 1-1024, was " + concurrency);
      }
      return new ChannelPolicy(this);
    }
  }
}
