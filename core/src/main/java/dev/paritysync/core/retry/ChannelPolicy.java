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
 * <p>Defaults (the hotel defaults): backoff base 1 s, ×2, +0–50 %, cap 30 s, 5 retries; the default
 * classification table; server waits up to 15 min; resets in delta seconds; retry budget 20 % of
 * first attempts with a floor of 10 per 10 s; no quotas; breaker 50 % over 20 calls or 5 in a row,
 * open 30 s, 3 probes; 4 requests in flight.
 */
public final class ChannelPolicy {
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

  public static Builder builder(String channel) {
    return new Builder(channel);
  }

  /** The hotel defaults for {@code channel}. */
  public static ChannelPolicy defaults(String channel) {
    return builder(channel).build();
  }

  /**
   * Reads a channel's {@code resilience} mapping (see docs/resilience.md for every key), over the
   * defaults. Unknown keys and bad values fail with the full key path in the message.
   */
  public static ChannelPolicy fromConfig(String channel, ConfigMap config) {
    Builder b = builder(channel);

    ConfigMap backoff = config.child("backoff");
    Backoff d = Backoff.hotelDefault();
    Jitter jitter = d.jitter();
    if (backoff.has("jitter")) {
      try {
        jitter = Jitter.parse(backoff.string("jitter", ""));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(backoff.key("jitter") + ": " + e.getMessage(), e);
      }
    }
    Duration base = backoff.duration("base", d.base());
    double multiplier = backoff.decimal("multiplier", d.multiplier());
    Duration cap = backoff.duration("cap", d.cap());
    int maxRetries = backoff.integer("maxRetries", d.maxRetries());
    try {
      b.withBackoff(
          Backoff.builder()
              .withBase(base)
              .withMultiplier(multiplier)
              .withCap(cap)
              .withMaxRetries(maxRetries)
              .withJitter(jitter)
              .build());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(backoff.path() + ": " + e.getMessage(), e);
    }
    backoff.rejectUnknown();

    b.withWaitCeiling(
        new WaitCeiling(config.duration("maxServerWait", WaitCeiling.defaults().max())));
    String reset = config.string("rateLimitReset", "delta").trim().toLowerCase(Locale.ROOT);
    switch (reset) {
      case "delta":
        b.withResetMode(ResetMode.DELTA_SECONDS);
        break;
      case "epoch":
        b.withResetMode(ResetMode.EPOCH_SECONDS);
        break;
      default:
        throw new IllegalArgumentException(
            config.key("rateLimitReset") + ": '" + reset + "' must be delta or epoch");
    }

    ConfigMap budget = config.child("retryBudget");
    double ratio = budget.decimal("ratio", 0.2);
    if (!(ratio >= 0) || ratio > 10) {
      throw new IllegalArgumentException(
          budget.key("ratio") + ": must be in [0, 10], was " + ratio);
    }
    int minRetries = budget.integer("minRetries", 10);
    if (minRetries < 0) {
      throw new IllegalArgumentException(
          budget.key("minRetries") + ": must be >= 0, was " + minRetries);
    }
    Duration window = budget.duration("window", Duration.ofSeconds(10));
    if (window.toMillis() < 10) {
      throw new IllegalArgumentException(
          budget.key("window") + ": must be at least 10ms, was " + window);
    }
    b.withRetryBudget(ratio, minRetries, window);
    budget.rejectUnknown();

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

    ConfigMap cb = config.child("circuitBreaker");
    BreakerConfig bd = BreakerConfig.defaults();
    b.withBreaker(
        new BreakerConfig(
            failureRatePercent(cb),
            cb.integer("window", bd.slidingWindowSize()),
            cb.integer("minimumCalls", bd.minimumCalls()),
            cb.integer("consecutiveFailures", bd.consecutiveFailures()),
            cb.duration("open", bd.openDuration()),
            cb.integer("halfOpenCalls", bd.halfOpenCalls())));
    cb.rejectUnknown();

    b.withConcurrency(config.integer("concurrency", 4));

    if (config.has("classification")) {
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> rows =
          (List<Map<String, Object>>) (List<?>) config.list("classification", Map.class);
      try {
        b.withClassification(ClassificationTable.fromConfig(rows, ClassificationTable.defaults()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(config.key("classification") + ": " + e.getMessage(), e);
      }
    }
    config.rejectUnknown();
    return b.build();
  }

  /** {@code failureRate: 50%}, {@code 50} and {@code 0.5} all mean half the calls. */
  private static float failureRatePercent(ConfigMap cb) {
    double v = cb.decimal("failureRate", BreakerConfig.defaults().failureRateThreshold());
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
    private Backoff backoff = Backoff.hotelDefault();
    private ClassificationTable classification = ClassificationTable.defaults();
    private WaitCeiling waitCeiling = WaitCeiling.defaults();
    private ResetMode resetMode = ResetMode.DELTA_SECONDS;
    private double budgetRatio = 0.2;
    private int budgetMinRetries = 10;
    private Duration budgetWindow = Duration.ofSeconds(10);
    private BreakerConfig breaker = BreakerConfig.defaults();
    private final Map<String, List<QuotaLimit>> quotas = new LinkedHashMap<>();
    private int concurrency = 4;

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

    /** Quota windows for one endpoint kind, per property; replaces earlier ones for that kind. */
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
