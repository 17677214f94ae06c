package dev.paritysync.app.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.paritysync.app.escalation.EscalationConfig;
import dev.paritysync.app.telemetry.TelemetryConfig;
import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.hotel.ari.Portfolio;
import dev.paritysync.hotel.ari.Property;
import dev.paritysync.hotel.ari.RatePlan;
import dev.paritysync.hotel.ari.RoomType;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.hotel.channel.WebhookConfig;
import dev.paritysync.hotel.reconcile.ReconcileSchedule;
import dev.paritysync.hotel.reconcile.Thresholds;
import dev.paritysync.store.DatabaseConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
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
    Set<String> sections) {

  /** The longest {@code engine.owner}: it prefixes a worker id of at most 120 characters. */
  public static final int MAX_OWNER = 64;

  /** Default idle tick of a delivery loop. */
  public static final Duration DEFAULT_TICK = Duration.ofMillis(50);

  /** Default lease of a claimed batch. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

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
   * it form a cluster; on SQLite the one engine process is a cluster of one.
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
      Duration heartbeat = c.positiveDuration("heartbeat", DEFAULT_HEARTBEAT);
      if (heartbeat.compareTo(MIN_HEARTBEAT) < 0) {
        throw new IllegalArgumentException(
            c.key("heartbeat") + ": must be at least 100ms, was " + c.raw("heartbeat"));
      }
      Duration lease = c.positiveDuration("singletonLease", DEFAULT_SINGLETON_LEASE);
      if (lease.compareTo(MIN_SINGLETON_LEASE) < 0) {
        throw new IllegalArgumentException(
            c.key("singletonLease") + ": must be at least 1s, was " + c.raw("singletonLease"));
      }
      c.rejectUnknown();
      return new ClusterConfig(heartbeat, lease);
    }
  }

  /**
   * Reconciliation's auto-correct thresholds: {@code defaults} for every channel, unless {@code
   * channels} names the channel. Defaults {@link Thresholds#DEFAULTS}.
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
   * Reads {@code file}, substituting {@code ${NAME}} from {@code env}.
   *
   * @throws IllegalArgumentException naming the file and, for a bad value, its full key path
   */
  @SuppressWarnings("unchecked")
  public static EngineFileConfig load(
      Path file, SecretResolver secrets, java.util.function.Function<String, String> env) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--config: no such file: " + file);
    }
    Object raw;
    try {
      raw = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Object.class);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          file + ": not valid YAML: " + e.getOriginalMessage().replace('\n', ' '), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage(), e);
    }
    if (!(raw instanceof Map)) {
      throw new IllegalArgumentException(file + ": expected a mapping at the top level");
    }
    try {
      return fromMap(EnvSubstitution.apply((Map<String, Object>) raw, env), secrets);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * A configuration from a parsed YAML document.
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
      throw new IllegalArgumentException(database.key("url") + ": " + e.getMessage(), e);
    }
    database.rejectUnknown();

    ConfigMap engine = root.child("engine");
    Duration tick = engine.positiveDuration("tick", DEFAULT_TICK);
    Duration lease = engine.positiveDuration("lease", DEFAULT_LEASE);
    String owner = engine.string("owner", "paritysync");
    if (owner.isBlank()) {
      throw new IllegalArgumentException(engine.key("owner") + ": must not be blank");
    }
    if (owner.length() > MAX_OWNER
        || owner.chars().anyMatch(ch -> ch == '/' || Character.isWhitespace(ch) || ch < 0x20)) {
      throw new IllegalArgumentException(
          engine.key("owner")
              + ": '"
              + owner
              + "' must be at most "
              + MAX_OWNER
              + " characters without '/' or spaces (it prefixes the worker id)");
    }
    long seed = engine.integer("seed", 1);
    engine.rejectUnknown();

    if (!root.has("portfolio")) {
      throw new IllegalArgumentException("portfolio: is missing; list the properties");
    }
    Portfolio portfolio = portfolio(root.child("portfolio"));
    if (!root.has("channels")) {
      throw new IllegalArgumentException("channels: is missing; configure at least one channel");
    }
    Map<String, ChannelConfig> channels = ChannelConfig.parseAll(root.raw("channels"), secrets);
    if (channels.isEmpty()) {
      throw new IllegalArgumentException("channels: is empty; configure at least one channel");
    }
    PollingConfig.parseAll(channels); // names a bad channels.<name>.reservations key at load
    Reconciliation reconciliation = reconciliation(root.child("reconciliation"), channels);
    ServerConfig server = ServerConfig.parse(root.child("server"), secrets);
    TelemetryConfig telemetry = TelemetryConfig.fromConfig(root.child("telemetry"));
    Map<String, WebhookConfig> webhooks = webhooks(root.raw("channels"), secrets);
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
        channels,
        reconciliation,
        server,
        telemetry,
        webhooks,
        cluster,
        escalation,
        retention,
        root.asMap().keySet());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, WebhookConfig> webhooks(Object channels, SecretResolver secrets) {
    ConfigMap all = new ConfigMap("channels", (Map<String, Object>) channels);
    Map<String, WebhookConfig> out = new java.util.LinkedHashMap<>();
    for (String name : all.asMap().keySet()) {
      ConfigMap channel = all.child(name);
      if (channel.has("webhook")) {
        out.put(name, WebhookConfig.parse(channel.child("webhook"), secrets));
      }
    }
    return out;
  }

  private static Reconciliation reconciliation(
      ConfigMap r, Map<String, ChannelConfig> channelConfigs) {
    Thresholds defaults = thresholds(r.child("autoCorrect"), Thresholds.DEFAULTS);
    ConfigMap chs = r.child("channels");
    Map<String, Thresholds> per = new java.util.LinkedHashMap<>();
    for (String name : chs.asMap().keySet()) {
      if (!channelConfigs.containsKey(name)) {
        throw new IllegalArgumentException(
            chs.key(name) + ": no such channel; channels: " + channelConfigs.keySet());
      }
      ConfigMap c = chs.child(name);
      per.put(name, thresholds(c.child("autoCorrect"), defaults));
      c.rejectUnknown();
    }
    chs.rejectUnknown();
    java.util.Optional<ReconcileSchedule.Timetable> schedule = java.util.Optional.empty();
    if (r.has("schedule")) {
      schedule = java.util.Optional.of(timetable(r.child("schedule")));
    }
    Duration verifyAfterOpen =
        r.duration("verifyAfterOpen", Reconciliation.DEFAULT_VERIFY_AFTER_OPEN);
    if (verifyAfterOpen.isNegative()) {
      throw new IllegalArgumentException(
          r.key("verifyAfterOpen") + ": must not be negative, was " + r.raw("verifyAfterOpen"));
    }
    r.rejectUnknown();
    return new Reconciliation(defaults, per, schedule, verifyAfterOpen);
  }

  /** {@code reconciliation.schedule}: each key defaults to {@code Timetable.DEFAULTS}'. */
  private static ReconcileSchedule.Timetable timetable(ConfigMap t) {
    ReconcileSchedule.Timetable d = ReconcileSchedule.Timetable.DEFAULTS;
    String at = t.string("nightlyAt", d.nightlyAt().toString());
    java.time.LocalTime nightlyAt;
    try {
      nightlyAt = java.time.LocalTime.parse(at);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          t.key("nightlyAt") + ": '" + at + "' is not a time of day like 03:00 (UTC)", e);
    }
    int fullDays = t.integer("fullDays", d.fullDays());
    java.time.Duration lightEvery = t.duration("lightEvery", d.lightEvery());
    int lightDays = t.integer("lightDays", d.lightDays());
    t.rejectUnknown();
    try {
      return new ReconcileSchedule.Timetable(nightlyAt, fullDays, lightEvery, lightDays);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(t.path() + ": " + e.getMessage(), e);
    }
  }

  private static Thresholds thresholds(ConfigMap a, Thresholds fallback) {
    int maxCells = a.integer("maxCells", fallback.maxCells());
    double maxPercent = a.decimal("maxPercent", fallback.maxPercent());
    a.rejectUnknown();
    if (maxCells < 0) {
      throw new IllegalArgumentException(a.key("maxCells") + ": must be ≥ 0, was " + maxCells);
    }
    if (!(maxPercent >= 0 && maxPercent <= 100)) {
      throw new IllegalArgumentException(
          a.key("maxPercent") + ": must be between 0 and 100, was " + maxPercent);
    }
    return new Thresholds(maxCells, maxPercent);
  }

  private static Portfolio portfolio(ConfigMap portfolio) {
    ConfigMap properties = portfolio.child("properties");
    portfolio.rejectUnknown();
    if (properties.asMap().isEmpty()) {
      throw new IllegalArgumentException(properties.path() + ": is empty; list the properties");
    }
    List<Property> list = new ArrayList<>();
    for (String code : properties.asMap().keySet()) {
      list.add(property(code, properties.child(code)));
    }
    return Portfolio.of(list);
  }

  private static Property property(String code, ConfigMap p) {
    if (!p.has("timezone")) {
      throw new IllegalArgumentException(p.key("timezone") + ": is missing (e.g. Europe/Berlin)");
    }
    String tz = p.string("timezone", null);
    ZoneId zone;
    try {
      zone = ZoneId.of(tz);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(p.key("timezone") + ": '" + tz + "' is not a time zone");
    }
    ConfigMap rooms = p.child("rooms");
    if (rooms.asMap().isEmpty()) {
      throw new IllegalArgumentException(rooms.path() + ": is missing or empty; list room types");
    }
    p.rejectUnknown();
    List<RoomType> roomTypes = new ArrayList<>();
    for (String room : rooms.asMap().keySet()) {
      ConfigMap r = rooms.child(room);
      ConfigMap plans = r.child("ratePlans");
      r.rejectUnknown();
      List<RatePlan> ratePlans = new ArrayList<>();
      for (String plan : plans.asMap().keySet()) {
        String currency = plans.string(plan, null);
        try {
          ratePlans.add(RatePlan.of(plan, currency == null ? "" : currency));
        } catch (IllegalArgumentException | NullPointerException e) {
          throw new IllegalArgumentException(
              plans.key(plan) + ": '" + currency + "' is not an ISO 4217 currency", e);
        }
      }
      roomTypes.add(checked(rooms.key(room), () -> new RoomType(room, ratePlans)));
    }
    return checked(p.path(), () -> new Property(code, zone, roomTypes));
  }

  private static <T> T checked(String key, java.util.function.Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }
}
