package dev.paritysync.app;

import dev.paritysync.app.config.EngineFileConfig;
import dev.paritysync.app.config.PollingConfig;
import dev.paritysync.core.config.ConfigFile;
import dev.paritysync.core.quota.QuotaLimit;
import dev.paritysync.core.retry.ChannelPolicy;
import dev.paritysync.hotel.adapter.Adapters;
import dev.paritysync.hotel.adapter.ChannelAdapter;
import dev.paritysync.hotel.ari.Property;
import dev.paritysync.hotel.ari.RoomType;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.channel.Credentials;
import dev.paritysync.hotel.channel.WebhookConfig;
import dev.paritysync.royalty.SourceConfig;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import dev.paritysync.store.Dialect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What {@code paritysync config check} does: loads a configuration file with the loaders the
 * commands that read it use, checks everything those commands check before they open anything, and
 * describes the result in lines. Nothing is opened: no database, no socket, no file but the one
 * checked (and secret files, read to see that they can be).
 *
 * <p>An engine file ({@code run}, {@code serve}) is loaded by {@link EngineFileConfig#load}, the
 * load path of those commands, which parses and checks each channel block once: its settings,
 * webhook and reservations, adapter and options, and its {@code resilience} block as the engine
 * runs it (classification rows, quota endpoints). A royalty file (a {@code sources:} map, a {@code
 * drift:} section) is loaded by the loaders of {@code royalty ingest}/{@code pull} and {@code
 * royalty drift}.
 *
 * <p>What the machine must provide is not the file's fault, so by default it is a note, not an
 * error: a secret reference ({@code ${env:NAME}}, {@code ${file:/path}}) that cannot be resolved
 * here is checked with a placeholder, an unset {@code ${NAME}} is read as empty, and a missing
 * SQLite directory is reported. With {@code strict} each of these is an error. Not thread-safe.
 */
final class ConfigCheck {
  /** Which loader a file is for. */
  enum Kind {
    AUTO,
    ENGINE,
    ROYALTY
  }

  private final Function<String, String> env;
  private final boolean strict;
  private final List<String> notes = new ArrayList<>();

  /** A check reading environment variables from {@code env} (name → value or null). */
  ConfigCheck(Function<String, String> env, boolean strict) {
    this.env = env;
    this.strict = strict;
  }

  /**
   * Checks {@code file} as {@code kind}, returning the lines that describe it: a header, one line
   * per channel or source, notes, and a last line starting {@code ok}.
   *
   * @throws IllegalArgumentException naming the file and the key path of the first error
   */
  List<String> check(Path file, Kind kind) {
    notes.clear();
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("FILE: no such file: " + file);
    }
    Kind k = kind == Kind.AUTO ? detect(file) : kind;
    List<String> lines = k == Kind.ROYALTY ? royalty(file) : engine(file);
    notes.forEach(n -> lines.add("note: " + n));
    lines.add(
        "ok: "
            + file
            + " is valid"
            + (notes.isEmpty()
                ? ""
                : " (" + notes.size() + (notes.size() == 1 ? " note" : " notes") + ")")
            + "; nothing was opened or started");
    return lines;
  }

  /** Royalty when the file has {@code sources} or {@code drift} and no engine section. */
  static Kind detect(Path file) {
    Map<String, Object> top;
    try {
      top = ConfigFile.read(file);
    } catch (RuntimeException e) {
      return Kind.ENGINE; // the engine loader names what is wrong with the file
    }
    boolean royalty = top.containsKey("sources") || top.containsKey("drift");
    boolean engine = top.containsKey("channels") || top.containsKey("portfolio");
    return royalty && !engine ? Kind.ROYALTY : Kind.ENGINE;
  }

  // ------------------------------------------------------------------ engine files

  private List<String> engine(Path file) {
    CheckSecrets secrets = new CheckSecrets(env, strict, notes);
    Set<String> unset = new TreeSet<>();
    Function<String, String> lenient =
        name -> {
          String v = env.apply(name);
          if (v == null && !strict) {
            unset.add(name);
            return "";
          }
          return v;
        };
    EngineFileConfig cfg;
    try {
      cfg = EngineFileConfig.load(file, secrets, lenient);
    } catch (IllegalArgumentException e) {
      throw unset.isEmpty()
          ? e
          : new IllegalArgumentException(
              e.getMessage()
                  + " (not set here, so read as empty: "
                  + String.join(", ", unset)
                  + ")",
              e);
    }
    unset.forEach(
        n ->
            notes.add(
                "environment variable " + n + " is not set; the check read ${" + n + "} as empty"));
    List<String> serveOnly = cfg.serveOnly();
    List<String> lines = new ArrayList<>();
    lines.add(
        "config "
            + file
            + ": engine configuration for "
            + (serveOnly.isEmpty()
                ? "run and serve"
                : "serve (run refuses " + String.join(", ", serveOnly) + ")"));
    lines.add(database(file, cfg.databaseUrl()));
    lines.add(portfolio(cfg));
    for (ChannelConfig c : cfg.channels().values()) {
      lines.add(
          channel(
              c,
              Objects.requireNonNull(
                  cfg.policies().get(c.name()), () -> "no policy for channel " + c.name()),
              cfg.polling().get(c.name()),
              cfg.webhooks().get(c.name()),
              secrets));
    }
    if (cfg.sections().contains("server")) {
      lines.add(
          "server "
              + cfg.server().host()
              + ":"
              + cfg.server().port()
              + ", admin token "
              + (cfg.server().adminToken().isPresent()
                  ? "configured"
                  : "none (admin API answers 401)")
              + ", API token "
              + (cfg.server().apiToken().isPresent() ? "configured" : "none"));
    }
    if (cfg.telemetry().exporting()) {
      lines.add("telemetry " + cfg.telemetry().protocol() + " to " + cfg.telemetry().endpoint());
    }
    return lines;
  }

  private String database(Path file, String url) {
    Dialect dialect = Dialect.of(url);
    DatabaseConfig.builder().withUrl(url).withMigrations("classpath:db/migration/hotel").build();
    String line =
        "database " + Database.redactUrl(url) + ": " + dialect.name().toLowerCase(Locale.ROOT);
    Path sqlite = dialect == Dialect.SQLITE ? sqliteFile(url) : null;
    if (sqlite == null) {
      return line + ", not connected";
    }
    line += " file " + sqlite + (Files.exists(sqlite) ? " (exists)" : " (created at first start)");
    Path parent = sqlite.getParent();
    if (parent != null && !Files.isDirectory(parent) && !url.equals(DatabaseConfig.DEFAULT_URL)) {
      environment(
          file,
          "database.url: directory "
              + parent
              + " does not exist; run and serve refuse to start until it does");
    }
    return line;
  }

  /**
   * The file a {@code jdbc:sqlite:} URL names, relative to the working directory; null for none.
   */
  static @Nullable Path sqliteFile(String url) {
    String path = url.substring("jdbc:sqlite:".length());
    int query = path.indexOf('?');
    path = query >= 0 ? path.substring(0, query) : path;
    path = path.startsWith("file:") ? path.substring("file:".length()) : path;
    if (path.isEmpty() || path.equals(":memory:") || path.startsWith(":resource:")) {
      return null;
    }
    return Path.of(path).toAbsolutePath().normalize();
  }

  private static String portfolio(EngineFileConfig cfg) {
    List<Property> properties = cfg.portfolio().properties();
    int rooms = 0;
    int plans = 0;
    for (Property p : properties) {
      rooms += p.roomTypes().size();
      for (RoomType r : p.roomTypes()) {
        plans += r.ratePlans().size();
      }
    }
    return "portfolio "
        + properties.stream().map(Property::code).collect(Collectors.joining(", "))
        + ": "
        + count(properties.size(), "property", "properties")
        + ", "
        + count(rooms, "room type", "room types")
        + ", "
        + count(plans, "rate plan", "rate plans");
  }

  /**
   * One channel as {@link EngineFileConfig#load} read and checked it (the resilience block, the
   * adapter and its options, the adapter's classification rows, the quota endpoints), described.
   */
  private static String channel(
      ChannelConfig c,
      ChannelPolicy p,
      @Nullable PollingConfig polling,
      @Nullable WebhookConfig webhook,
      CheckSecrets secrets) {
    // The load built this adapter once already; it is built again only to show its quotas.
    ChannelAdapter adapter = Adapters.standard().create(c);
    Map<String, List<QuotaLimit>> quotas =
        p.quotas().isEmpty() ? adapter.defaultQuotas() : p.quotas();
    String prefix = "channels." + c.name() + ".";
    return "channel "
        + c.name()
        + ": adapter "
        + c.adapter()
        + ", "
        + c.baseUrl()
        + ", "
        + credentials(c.credentials(), secrets.referencesUnder(prefix + "credentials"))
        + ", maps "
        + count(c.mapping().rooms().size(), "room type", "room types")
        + " and "
        + count(c.mapping().ratePlans().size(), "rate plan", "rate plans")
        + ", quotas "
        + (quotas.isEmpty() ? "none" : quotas(quotas))
        + (p.quotas().isEmpty() && !quotas.isEmpty() ? " (the adapter's defaults)" : "")
        + ", reservations "
        + (polling != null
            ? "polled every " + text(polling.minInterval()) + " to " + text(polling.maxInterval())
            : webhook != null
                ? "by webhook (" + webhook.strategy().code() + ", serve only)"
                : "not fetched");
  }

  private static String credentials(Credentials c, List<String> references) {
    String from = references.isEmpty() ? "" : " from " + String.join(", ", references);
    if (c instanceof Credentials.OAuth2 o) {
      return "OAuth2 client " + o.clientId() + " at " + o.tokenUrl() + from;
    }
    Credentials.ApiKey k = (Credentials.ApiKey) c;
    return "API key in " + k.header() + from;
  }

  private static String quotas(Map<String, List<QuotaLimit>> quotas) {
    return quotas.entrySet().stream()
        .map(
            e ->
                e.getKey()
                    + " "
                    + e.getValue().stream()
                        .map(l -> l.capacity() + "/" + text(l.period()))
                        .collect(Collectors.joining("+")))
        .collect(Collectors.joining("; "));
  }

  // ------------------------------------------------------------------ royalty files

  private List<String> royalty(Path file) {
    royaltyKeys(file);
    boolean hasSources = !section(file, "sources").isEmpty();
    Map<String, SourceConfig> sources = Map.of();
    if (hasSources || !hasSection(file, "drift")) {
      try {
        sources = RoyaltyIngestCommand.sources(file);
      } catch (IOException e) {
        throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage(), e);
      }
    }
    DriftCommand.load(file);
    List<String> lines = new ArrayList<>();
    lines.add(
        "config "
            + file
            + ": royalty configuration for "
            + (hasSources ? "royalty ingest, pull and queue replay (sources), " : "")
            + "royalty drift (--config)");
    for (String name : configured(file)) {
      SourceConfig s =
          Objects.requireNonNull(sources.get(name), () -> file + ": no source " + name + " read");
      lines.add(
          "source "
              + name
              + ": format "
              + s.format().name().toLowerCase(Locale.ROOT)
              + ", "
              + count(s.columns().size(), "field", "fields")
              + " mapped, "
              + count(s.territoryAliases().size(), "territory alias", "territory aliases")
              + ", "
              + count(s.saleTypes().size(), "sale type code", "sale type codes")
              + (s.dateFormat() == null ? "" : ", dates " + s.dateFormat()));
    }
    lines.add(
        "drift: "
            + (hasSection(file, "drift")
                ? "thresholds read (royalty drift --config)"
                : "no drift section; royalty drift uses its defaults"));
    return lines;
  }

  /**
   * A royalty file holds {@code sources} and {@code drift} only: another top-level key is a
   * misspelling ({@code drfit:}), which would silently leave the defaults in force.
   */
  private static void royaltyKeys(Path file) {
    ConfigFile.load(file, root -> root.allow("sources", "drift"));
  }

  private static List<String> configured(Path file) {
    return section(file, "sources").keySet().stream().map(String::valueOf).toList();
  }

  private static boolean hasSection(Path file, String name) {
    return !section(file, name).isEmpty();
  }

  private static Map<?, ?> section(Path file, String name) {
    return ConfigFile.read(file).get(name) instanceof Map<?, ?> m ? m : Map.of();
  }

  // ------------------------------------------------------------------ helpers

  private void environment(Path file, String problem) {
    if (strict) {
      throw new IllegalArgumentException(file + ": " + problem);
    }
    notes.add(problem);
  }

  private static String count(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  /** {@code 20s}, {@code 5m}, {@code 1h30m}. */
  static String text(Duration d) {
    return d.toString().substring(2).toLowerCase(Locale.ROOT);
  }
}
