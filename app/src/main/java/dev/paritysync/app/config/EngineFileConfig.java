package dev.paritysync.app.config;

import dev.paritysync.app.escalation.EscalationConfig;
import dev.paritysync.app.telemetry.TelemetryConfig;
import dev.paritysync.core.config.ConfigFile;
import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.core.retry.ChannelPolicy;
import dev.paritysync.hotel.ari.Portfolio;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.hotel.channel.WebhookConfig;
import dev.paritysync.hotel.engine.ChannelPolicies;
import dev.paritysync.hotel.engine.HotelEngineBuilder;
import dev.paritysync.hotel.reconcile.ReconcileSchedule;
import dev.paritysync.hotel.reconcile.Thresholds;
import dev.paritysync.store.DatabaseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The configuration file of {@code paritysync run}: where the database is, how the engine ticks,
 * which properties exist and which channels to keep at parity.
 *
 * <pre>{@code
 * database: {url: "jdbc:sqlite:data/paritysync.db"}   # optional; this is the default
 * engine: {tick: 50ms, lease: 30s, owner: host-1, seed: 1}   # optional; defaults below
 * cluster: {heartbeat: 5s, singletonLease: 30s}      # optional; defaults below
 * portfolio:                                          # required
 *   properties:
 *     P1: {timezone: Europe/Berlin, rooms: {DBL: {ratePlans: {BAR: EUR, NRF: EUR}}}}
 * channels: {...}                                     # required, see ChannelConfig
 * reconciliation:                                     # optional; defaults below
 *   autoCorrect: {maxCells: 50, maxPercent: 5}        # per property and channel
 *   channels: {cx: {autoCorrect: {maxCells: 10}}}     # a channel's own thresholds
 *   schedule: {nightlyAt: "03:00", fullDays: 365, lightEvery: 2h, lightDays: 14}  # optional
 *   verifyAfterOpen: 5m   # verify before resume after an outage at least this long
 * server: {port: 8080, adminToken: "${env:PARITYSYNC_ADMIN_TOKEN}"}   # see ServerConfig
 * telemetry: {otlp: {endpoint: "http://127.0.0.1:4318/v1/traces"}}    # see TelemetryConfig
 * escalation: {receivers: {ops: {type: webhook, url: ..., secret: ...}}}  # see EscalationConfig
 * retention: {batches: 30d, ledger: 400d, every: 1h}   # optional; see RetentionConfig
 * }</pre>
 *
 * <p>Any string value may use {@code ${NAME}} or {@code ${NAME:-default}}: replaced by the
 * environment variable before the value is read ({@code $${} for a literal {@code ${}). Secrets
 * are not substituted this way; they take references ({@code ${env:NAME}}, {@code ${file:/path}})
 * resolved by the {@link SecretResolver}. A channel's {@code reservations} block (polling) is read
 * by {@link PollingConfig}, its {@code webhook} block by {@link WebhookConfig}.
 *
 * <p>Defaults: database {@link DatabaseConfig#DEFAULT_URL}, tick 50 ms, lease 30 s, owner {@code
 * paritysync}, seed 1; cluster heartbeat 5 s, singleton lease 30 s ({@link ClusterConfig}). Unknown keys and bad values fail with one line naming the full key path
 * ({@code portfolio.properties.P1.timezone}). Immutable and thread-safe.
 *
 * @param databaseUrl the JDBC URL of the store
 * @param tick how long an idle delivery loop waits before looking again
 * @param lease how long a claimed batch stays with this process before another may take it
 * @param owner the prefix of this process's worker id ({@code
 *     <owner>-<host>-<pid>-<random>}), which owns its leases: at most {@value #MAX_OWNER}
 *     characters, without {@code /} or spaces
 * @param seed seeds jitter
 * @param portfolio the properties, room types and rate plans changes may name
 * @param channels the channels, by name, in file order
 * @param reconciliation the auto-correct thresholds of reconciliation ({@code
 *     docs/reconciliation.md})
 * @param server the {@code server:} section, for {@code paritysync serve}
 * @param telemetry the {@code telemetry:} section: traces (off by default)
 * @param webhooks per channel that takes reservation webhooks, its {@code channels.<name>.webhook}
 *     section ({@code docs/webhooks.md}); served by {@code paritysync serve}
 * @param cluster the {@code cluster:} section: heartbeat and singleton lease of this worker
 * @param escalation the {@code escalation:} section, when the file has one
 * @param retention the {@code retention:} section: how long ended batches, the ledger, changes and
 *     webhook bodies are kept
 * @param sections the top-level sections the file has, so a command can refuse one it does not
 *     use (see {@link #serveOnly})
 * @param policies per channel, its resilience policy as the engine runs it: the {@code
 *     resilience} block over {@link dev.paritysync.hotel.channel.HotelDefaults}, with the adapter's
 *     classification rows ({@link ChannelPolicies#of}); read and checked at load
 * @param polling per channel that polls for reservations, its {@code channels.<name>.reservations}
 *     block
 */
public record EngineFileConfig(
    String databaseUrl,
    Duration tick,
    Duration lease,
    String owner,
    long seed,
    Portfolio portfolio,
    Map<String, ChannelConfig> channels,
    Reconciliation reconciliation,
    ServerConfig server,
    TelemetryConfig telemetry,
    Map<String, WebhookConfig> webhooks,
    ClusterConfig cluster,
    java.util.Optional<EscalationConfig> escalation,
    RetentionConfig retention,
    Set<String> sections,
    Map<String, ChannelPolicy> policies,
    Map<String, PollingConfig> polling) {

  /** The longest {@code engine.owner}: it prefixes a worker id of at most 120 characters. */
  public static final int MAX_OWNER = 64;

  /** Default idle tick of a delivery loop. */
  public static final Duration DEFAULT_TICK = HotelEngineBuilder.DEFAULT_TICK;

  /** Default lease of a claimed batch: the hotel engine's own default. */
  public static final Duration DEFAULT_LEASE = HotelEngineBuilder.DEFAULT_LEASE;

  /** Default of {@code engine.owner}, the prefix of worker ids. */
  public static final String DEFAULT_OWNER = HotelEngineBuilder.DEFAULT_OWNER;

  /** Default of {@code engine.seed}, which seeds jitter. */
  public static final long DEFAULT_SEED = HotelEngineBuilder.DEFAULT_SEED;

  public EngineFileConfig {
    Objects.requireNonNull(databaseUrl, "databaseUrl");
    Objects.requireNonNull(tick, "tick");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(portfolio, "portfolio");
    channels = Map.copyOf(channels);
    Objects.requireNonNull(reconciliation, "reconciliation");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(telemetry, "telemetry");
    webhooks = Map.copyOf(webhooks);
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(escalation, "escalation");
    Objects.requireNonNull(retention, "retention");
    sections = Set.copyOf(sections);
    policies = Map.copyOf(policies);
    polling = Map.copyOf(polling);
  }

  /**
   * The keys of this file that only {@code paritysync serve} reads (it runs the HTTP server):
   * {@code server} and each {@code channels.<name>.webhook}, sorted; empty when there are none.
   */
  public List<String> serveOnly() {
    List<String> keys = new ArrayList<>();
    if (sections.contains("server")) {
      keys.add("server");
    }
    webhooks.keySet().stream().sorted().forEach(c -> keys.add("channels." + c + ".webhook"));
    return keys;
  }

  /**
   * The {@code cluster:} section. It applies to every database: on PostgreSQL the processes sharing
   * it form a cluster; on SQLite the one engine process is a cluster of one. Immutable and
   * thread-safe.
   *
   * @param heartbeat {@code cluster.heartbeat}: how often this worker writes its heartbeat; a
   *     worker silent for {@value #DEAD_AFTER_HEARTBEATS} heartbeats is dead. Default 5 s, at least
   *     100 ms
   * @param singletonLease {@code cluster.singletonLease}: how long a singleton (a channel's
   *     reservation poller, the reconciliation timetable, pruning) is held; its holder renews it
   *     every third of it, another worker takes it over once it expires. Default 30 s, at least 1 s
   */
  public record ClusterConfig(Duration heartbeat, Duration singletonLease) {
    /** Default of {@code cluster.heartbeat}: 5 seconds. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);

    /** Default of {@code cluster.singletonLease}: 30 seconds. */
    public static final Duration DEFAULT_SINGLETON_LEASE = Duration.ofSeconds(30);

    /** A worker whose heartbeat is older than this many heartbeats is dead. */
    public static final int DEAD_AFTER_HEARTBEATS = 3;

    /** Both defaults. */
    public static final ClusterConfig DEFAULTS =
        new ClusterConfig(DEFAULT_HEARTBEAT, DEFAULT_SINGLETON_LEASE);

    private static final Duration MIN_HEARTBEAT = Duration.ofMillis(100);
    private static final Duration MIN_SINGLETON_LEASE = Duration.ofSeconds(1);

    public ClusterConfig {
      Objects.requireNonNull(heartbeat, "heartbeat");
      Objects.requireNonNull(singletonLease, "singletonLease");
    }

    /** How long since its last heartbeat a worker still counts as alive. */
    public Duration aliveWithin() {
      return heartbeat.multipliedBy(DEAD_AFTER_HEARTBEATS);
    }

    /**
     * Reads a {@code cluster:} section.
     *
     * @throws IllegalArgumentException naming the full key of a bad or unknown value
     */
    public static ClusterConfig parse(ConfigMap c) {
      Duration heartbeat = c.durationAtLeast("heartbeat", MIN_HEARTBEAT, DEFAULT_HEARTBEAT);
      Duration lease =
          c.durationAtLeast("singletonLease", MIN_SINGLETON_LEASE, DEFAULT_SINGLETON_LEASE);
      c.rejectUnknown();
      return new ClusterConfig(heartbeat, lease);
    }
  }

  /**
   * Reconciliation's auto-correct thresholds: {@code defaults} for every channel, unless {@code
   * channels} names the channel. Defaults {@link Thresholds#DEFAULTS}; no schedule. Immutable and
   * thread-safe.
   *
   * @param defaults the thresholds of {@code reconciliation.autoCorrect}
   * @param channels the thresholds of {@code reconciliation.channels.<name>.autoCorrect}
   * @param schedule the timetable of {@code reconciliation.schedule}, when configured
   * @param verifyAfterOpen {@code reconciliation.verifyAfterOpen}: a channel whose circuit closes
   *     after it was open at least this long is reconciled over the dates the outage touched before
   *     its pushes resume; default 5 minutes
   */
  public record Reconciliation(
      Thresholds defaults,
      Map<String, Thresholds> channels,
      java.util.Optional<ReconcileSchedule.Timetable> schedule,
      Duration verifyAfterOpen) {
    /** The default of {@code reconciliation.verifyAfterOpen}: 5 minutes. */
    public static final Duration DEFAULT_VERIFY_AFTER_OPEN = Duration.ofMinutes(5);

    public Reconciliation {
      Objects.requireNonNull(defaults, "defaults");
      channels = Map.copyOf(channels);
      Objects.requireNonNull(schedule, "schedule");
      Objects.requireNonNull(verifyAfterOpen, "verifyAfterOpen");
    }

    /** With the default {@code verifyAfterOpen}. */
    public Reconciliation(
        Thresholds defaults,
        Map<String, Thresholds> channels,
        java.util.Optional<ReconcileSchedule.Timetable> schedule) {
      this(defaults, channels, schedule, DEFAULT_VERIFY_AFTER_OPEN);
    }

    /** Thresholds only, no schedule. */
    public Reconciliation(Thresholds defaults, Map<String, Thresholds> channels) {
      this(defaults, channels, java.util.Optional.empty());
    }

    /** The thresholds of {@code channel}. */
    public Thresholds of(String channel) {
      return channels.getOrDefault(channel, defaults);
    }
  }

  /**
   * Reads {@code file}.
   *
   * @throws IllegalArgumentException naming the file and, for a bad value, its full key path
   */
  public static EngineFileConfig load(Path file, SecretResolver secrets) {
    return load(file, secrets, System::getenv);
  }

  /**
   * Reads {@code file}, substituting {@code ${NAME}} from {@code env}. This is the one load path:
   * {@code run}, {@code serve}, {@code reconcile}, {@code cluster} and {@code config check} all
   * read a file through it, so what it accepts is what the engine runs.
   *
   * @throws IllegalArgumentException naming the file and, for a bad value, its full key path
   */
  public static EngineFileConfig load(
      Path file, SecretResolver secrets, java.util.function.Function<String, String> env) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--config: no such file: " + file);
    }
    Map<String, Object> raw = ConfigFile.read(file);
    return ConfigFile.within(file, () -> fromMap(EnvSubstitution.apply(raw, env), secrets));
  }

  /**
   * A configuration from a parsed YAML document. Each channel block is parsed and checked here,
   * once: its settings, webhook, reservations, adapter and options, and its {@code resilience}
   * block as the engine runs it ({@link ChannelPolicies}).
   *
   * @throws IllegalArgumentException naming the full key path of the first bad or unknown key
   */
  public static EngineFileConfig fromMap(Map<String, Object> map, SecretResolver secrets) {
    ConfigMap root = new ConfigMap("", map);
    ConfigMap database = root.child("database");
    String url = database.string("url", DatabaseConfig.DEFAULT_URL);
    try {
      DatabaseConfig.builder().withUrl(url);
    } catch (IllegalArgumentException e) {
      throw database.error("url", Objects.requireNonNullElse(e.getMessage(), e.toString()));
    }
    database.rejectUnknown();

    ConfigMap engine = root.child("engine");
    Duration tick = engine.positiveDuration("tick", DEFAULT_TICK);
    Duration lease = engine.positiveDuration("lease", DEFAULT_LEASE);
    String owner = engine.string("owner", DEFAULT_OWNER);
    if (owner.isBlank()) {
      throw engine.error("owner", "must not be blank");
    }
    if (owner.length() > MAX_OWNER
        || owner.chars().anyMatch(ch -> ch == '/' || Character.isWhitespace(ch) || ch < 0x20)) {
      throw engine.error(
          "owner",
          "'"
              + owner
              + "' must be at most "
              + MAX_OWNER
              + " characters without '/' or spaces (it prefixes the worker id)");
    }
    long seed = engine.longInteger("seed", DEFAULT_SEED);
    engine.rejectUnknown();

    if (!root.has("portfolio")) {
      throw new IllegalArgumentException("portfolio: is missing; list the properties");
    }
    Portfolio portfolio = PortfolioReader.read(root.child("portfolio"));
    if (!root.has("channels")) {
      throw new IllegalArgumentException("channels: is missing; configure at least one channel");
    }
    Channels channels = Channels.read(root.children("channels"), secrets);
    Reconciliation reconciliation =
        ReconciliationReader.read(root.child("reconciliation"), channels.configs());
    ServerConfig server = ServerConfig.parse(root.child("server"), secrets);
    TelemetryConfig telemetry = TelemetryConfig.fromConfig(root.child("telemetry"));
    ClusterConfig cluster = ClusterConfig.parse(root.child("cluster"));
    java.util.Optional<EscalationConfig> escalation =
        root.has("escalation")
            ? java.util.Optional.of(EscalationConfig.parse(root.child("escalation"), secrets))
            : java.util.Optional.empty();
    RetentionConfig retention = RetentionConfig.parse(root.child("retention"));
    root.rejectUnknown();
    return new EngineFileConfig(
        url,
        tick,
        lease,
        owner,
        seed,
        portfolio,
        channels.configs(),
        reconciliation,
        server,
        telemetry,
        channels.webhooks(),
        cluster,
        escalation,
        retention,
        root.asMap().keySet(),
        channels.policies(),
        channels.polling());
  }
}
