package dev.paritysync.app;

import dev.paritysync.core.config.ConfigFile;
import dev.paritysync.royalty.FileIngest;
import dev.paritysync.royalty.IngestedDelivery;
import dev.paritysync.royalty.RunMetrics;
import dev.paritysync.royalty.RunSummary;
import dev.paritysync.royalty.SourceConfig;
import dev.paritysync.royalty.lake.Lake;
import dev.paritysync.royalty.parse.ParseWarning;
import dev.paritysync.royalty.parse.ReportFormatException;
import dev.paritysync.royalty.parse.Strictness;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code paritysync royalty ingest FILE… --source NAME}: each file is parsed, validated and written
 * to the lake, its dead letters to the store, its delivery recorded so the same delivery is not
 * ingested twice.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Ingests report files (plain or gzip) of one source: valid rows into the Parquet lake,",
      "invalid ones into the dead-letter queue. A delivery already ingested is skipped (exit 0)",
      "unless --force. An incomplete delivery (no FOOT, FOOT counts, cut-off gzip) is stored as",
      "incomplete until a complete one replaces it, and refused where a complete one is in the lake.",
      "Exit 1 when a file was rejected or refused; else 3 when one was stored incomplete.",
      "--metrics-file writes the run's meters for node_exporter's textfile collector."
    })
final class RoyaltyIngestCommand implements Callable<Integer> {
  /** Sources known without --config, each with its format's defaults. */
  static final Map<String, SourceConfig.Format> BUILT_IN = builtIn();

  private static Map<String, SourceConfig.Format> builtIn() {
    Map<String, SourceConfig.Format> m = new LinkedHashMap<>();
    m.put("dsr", SourceConfig.Format.DSR);
    m.put("apple", SourceConfig.Format.APPLE);
    m.put("distributor", SourceConfig.Format.CSV);
    return java.util.Collections.unmodifiableMap(m);
  }

  /** Format warnings printed per file; the rest are counted. */
  static final int WARNINGS_SHOWN = 10;

  @ParentCommand RoyaltyCommand parent;
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "report files")
  List<Path> files;

  @Option(
      names = "--source",
      required = true,
      paramLabel = "NAME",
      description = "the source (from --config, or built in: dsr, apple, distributor)")
  String source;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML with a sources: map (see docs/royalty.md)")
  @Nullable Path config;

  @Option(
      names = "--lake",
      paramLabel = "DIR",
      defaultValue = "lake",
      description = "the lake's root directory (default: ${DEFAULT-VALUE})")
  Path lake;

  @Option(
      names = "--db",
      paramLabel = "FILE",
      description = "SQLite file for dead letters and deliveries (default: data/paritysync.db)")
  @Nullable Path db;

  @Option(
      names = "--url",
      paramLabel = "jdbc:...",
      description = "a JDBC URL instead of --db, such as jdbc:postgresql://127.0.0.1/paritysync")
  @Nullable String url;

  @Option(names = "--strict", description = "reject a file at its first format defect")
  boolean strict;

  @Option(names = "--force", description = "ingest a delivery again, replacing its rows")
  boolean force;

  @Option(
      names = "--memory-limit",
      paramLabel = "SIZE",
      defaultValue = Lake.DEFAULT_MEMORY_LIMIT,
      description = "DuckDB's native memory limit (default: ${DEFAULT-VALUE})")
  String memoryLimit;

  @Mixin RoyaltyMetricsFile.Option metricsFile = new RoyaltyMetricsFile.Option();

  @Override
  public Integer call() throws Exception {
    SourceConfig sourceConfig = sourceConfig();
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(file + ": no such file");
      }
    }
    RoyaltyMetricsFile export =
        RoyaltyMetricsFile.start(metricsFile.path, "ingest", source, parent.clock);
    return export.run(() -> ingest(sourceConfig, export));
  }

  private int ingest(SourceConfig sourceConfig, RoyaltyMetricsFile export) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int code = 0;
    try (ProgressLine line = ProgressLine.onConsole(err, parent.clock);
        Database database = Database.open(databaseConfig());
        Lake lakeDir = Lake.open(lake, memoryLimit)) {
      FileIngest ingest =
          new FileIngest(
              database,
              lakeDir,
              parent.clock,
              new RunMetrics(export.registry()),
              line.terminal() ? Duration.ofSeconds(1) : FileIngest.DEFAULT_PROGRESS_INTERVAL);
      for (Path file : files) {
        String name = file.getFileName().toString();
        long[] warned = {0};
        Consumer<ParseWarning> warnings =
            w -> {
              if (++warned[0] <= WARNINGS_SHOWN) {
                line.event("warning: " + w);
              }
            };
        Consumer<FileIngest.Progress> progress = p -> line.status(progressText(name, p));
        FileIngest.Outcome outcome;
        try {
          outcome =
              ingest.ingest(
                  file,
                  sourceConfig,
                  strict ? Strictness.STRICT : Strictness.LENIENT,
                  force,
                  warnings,
                  progress);
        } catch (ReportFormatException e) {
          line.clear();
          err.println("paritysync: rejected, nothing written: " + e.getMessage());
          code = 1;
          continue;
        }
        line.clear();
        if (outcome instanceof FileIngest.RefusedIncomplete refused) {
          err.println(refusedLine(name, refused));
          code = 1;
          continue;
        }
        if (warned[0] > WARNINGS_SHOWN) {
          err.println("warning: … " + (warned[0] - WARNINGS_SHOWN) + " more in " + name);
        }
        if (outcome instanceof FileIngest.AlreadyIngested already) {
          out.println(alreadyLine(name, already));
        } else if (outcome instanceof FileIngest.Ingested done) {
          out.println(summaryLine(name, done.summary(), done.rowsPerSecond(), done.replaced()));
          export.rows(done.summary().rowsRead(), done.summary().deadLettered());
          if (!done.summary().complete() && code == 0) {
            code = 3;
          }
        }
        out.flush();
      }
    }
    return code;
  }

  /** Why an incomplete file was not written over a complete delivery of its report. */
  private static String refusedLine(String name, FileIngest.RefusedIncomplete refused) {
    IngestedDelivery complete = refused.complete();
    return "paritysync: refused, nothing written: "
        + name
        + " is incomplete ("
        + refused.summary().incomplete()
        + ") and report "
        + complete.reportId()
        + " is in the lake complete, as "
        + complete.report()
        + " at "
        + complete.at()
        + "; --force to replace it anyway";
  }

  /** Which earlier delivery a file repeats, and how it was recognised. */
  private static String alreadyLine(String name, FileIngest.AlreadyIngested already) {
    return name
        + ": already ingested as "
        + already.earlier().report()
        + " at "
        + already.earlier().at()
        + " ("
        + (already.earlier().sha256().equals(already.summary().delivery().sha256())
            ? "same SHA-256"
            : "same message id " + already.earlier().messageId())
        + "); nothing written, --force to ingest it again";
  }

  /** {@code ingest a.csv: 1,024 rows, 2,048 rows/s, 1.5 of 12.0 MB (12%)}. */
  static String progressText(String name, FileIngest.Progress p) {
    return String.format(
        Locale.ROOT,
        "ingest %s: %,d rows, %,.0f rows/s, %.1f of %.1f MB (%d%%)",
        name,
        p.rows(),
        p.rowsPerSecond(),
        p.bytesRead() / 1e6,
        p.fileBytes() / 1e6,
        p.fileBytes() == 0 ? 100 : Math.min(100, p.bytesRead() * 100 / p.fileBytes()));
  }

  static String summaryLine(
      String name, RunSummary s, double rowsPerSecond, List<IngestedDelivery> replaced) {
    StringBuilder notes = new StringBuilder();
    if (!s.complete()) {
      notes.append(", incomplete (").append(s.incomplete()).append(')');
    }
    for (IngestedDelivery r : replaced) {
      notes.append(
          r.sha256().equals(s.delivery().sha256())
              ? " (replaced an earlier ingest of the same delivery)"
              : " (replaced the rows of report "
                  + r.reportId()
                  + " delivered "
                  + (r.route().equals("api") ? "through the API" : "as " + r.report())
                  + " at "
                  + r.at()
                  + (r.complete() ? "" : ", incomplete")
                  + ")");
    }
    return String.format(
        Locale.ROOT,
        "%s: rows %d, valid %d, dead letters %d, rejection %.2f%%, format warnings %d, %.0f rows/s%s",
        name,
        s.rowsRead(),
        s.valid(),
        s.deadLettered(),
        s.rejectionRate() * 100,
        s.warnings(),
        rowsPerSecond,
        notes);
  }

  private SourceConfig sourceConfig() throws IOException {
    Map<String, SourceConfig> sources = sources(config);
    SourceConfig found = sources.get(source);
    if (found == null) {
      throw new IllegalArgumentException(
          "--source: unknown source '"
              + source
              + "'; known: "
              + String.join(", ", sources.keySet()));
    }
    return found;
  }

  /**
   * The built-in sources and those of {@code config} (a YAML file with a {@code sources:} map; null
   * for none), by name; a configured source replaces a built-in one of the same name.
   *
   * @throws IllegalArgumentException naming the file and key of a bad setting
   */
  static Map<String, SourceConfig> sources(@Nullable Path config) throws IOException {
    Map<String, SourceConfig> sources = new LinkedHashMap<>();
    BUILT_IN.forEach((n, f) -> sources.put(n, SourceConfig.defaults(n, f)));
    if (config == null) {
      return sources;
    }
    if (!Files.isRegularFile(config)) {
      throw new IllegalArgumentException("--config: no such file " + config);
    }
    Map<String, Object> top = ConfigFile.read(config);
    if (!(top.get("sources") instanceof Map)) {
      throw new IllegalArgumentException(config + ": expected a map with a sources: map");
    }
    sources.putAll(ConfigFile.load(config, root -> SourceConfig.all(root.child("sources"))));
    return sources;
  }

  private DatabaseConfig databaseConfig() {
    return RoyaltyCommand.database(db, url, 2);
  }
}
