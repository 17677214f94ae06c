package dev.paritysync.app;

import dev.paritysync.core.backoff.Backoff;
import dev.paritysync.core.backoff.Jitter;
import dev.paritysync.core.classify.Action;
import dev.paritysync.core.config.ConfigFile;
import dev.paritysync.core.config.Durations;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.quota.QuotaLimit;
import dev.paritysync.core.retry.AttemptEvent;
import dev.paritysync.core.retry.ChannelPolicy;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.core.time.SystemScheduler;
import dev.paritysync.royalty.SourceConfig;
import dev.paritysync.royalty.dsp.DspPullException;
import dev.paritysync.royalty.dsp.DspSource;
import dev.paritysync.royalty.dsp.PullMetrics;
import dev.paritysync.royalty.dsp.ReportManifest;
import dev.paritysync.royalty.dsp.ReportMismatchException;
import dev.paritysync.royalty.dsp.ReportSink;
import dev.paritysync.royalty.lake.Lake;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code paritysync royalty pull}: pulls every report a DSP lists for a period into the store, page
 * by page with a checkpoint after each page, so that running it again after a crash resumes where
 * the last committed page left off. Prints a line per page and the run's metrics at the end.
 */
@Command(
    name = "pull",
    mixinStandardHelpOptions = true,
    description = {
      "Pulls every report a DSP lists for a period: pages of rows through the resilience core,",
      "validated, committed with a checkpoint after each page; a report is complete when its row",
      "count and checksum match the DSP's manifest. Run it again after a crash: it resumes.",
      "Prints 'page', 'complete' and 'metrics' lines (docs/royalty.md, DSP pull);",
      "--metrics-file writes the run's meters for node_exporter's textfile collector."
    })
final class RoyaltyPullCommand implements Callable<Integer> {

  @ParentCommand RoyaltyCommand parent;
  @Spec CommandSpec spec;

  @Option(
      names = "--dsp",
      required = true,
      paramLabel = "URL",
      description = "the DSP's base URL, e.g. http://127.0.0.1:8081")
  String dsp;

  @Option(
      names = "--source",
      required = true,
      paramLabel = "NAME",
      description = "the source name rows and dead letters carry")
  String source;

  @Option(
      names = "--period",
      required = true,
      paramLabel = "YYYY-MM",
      description = "the month whose reports to pull")
  String period;

  @Option(
      names = "--db",
      paramLabel = "FILE",
      description =
          "the SQLite file (default: data/paritysync.db, its directory created if missing;"
              + " another file's directory must exist)")
  Path db = Path.of("data/paritysync.db");

  @Option(
      names = "--lake",
      paramLabel = "DIR",
      description = "the lake's root directory (default: ${DEFAULT-VALUE})")
  Path lake = Path.of("lake");

  @Option(
      names = "--memory-limit",
      paramLabel = "SIZE",
      description = "DuckDB's native memory limit (default: ${DEFAULT-VALUE})")
  String memoryLimit = Lake.DEFAULT_MEMORY_LIMIT;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML with sources.NAME (format: json, columns, aliases); default: json")
  @Nullable Path config;

  @Option(
      names = "--page-size",
      paramLabel = "ROWS",
      description = "rows asked for per page (default: ${DEFAULT-VALUE})")
  int pageSize = DspSource.DEFAULT_PAGE_SIZE;

  @Option(
      names = "--backoff-base",
      paramLabel = "DURATION",
      description = "first retry delay; doubles up to 30s, 10 retries (default: ${DEFAULT-VALUE})")
  String backoffBase = "500ms";

  @Option(
      names = "--quota",
      paramLabel = "N/PERIOD",
      description = "a client-side rate limit on requests to the DSP, e.g. 50/1s (repeatable)")
  List<String> quotas = new ArrayList<>();

  @Mixin RoyaltyMetricsFile.Option metricsFile = new RoyaltyMetricsFile.Option();

  @Override
  public Integer call() throws Exception {
    YearMonth month;
    try {
      month = YearMonth.parse(period);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--period: '" + period + "' is not YYYY-MM", e);
    }
    URI base;
    try {
      base = URI.create(dsp);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--dsp: '" + dsp + "' is not a URL", e);
    }
    SourceConfig sourceConfig = sourceConfig();
    ChannelPolicy.Builder policy =
        DspSource.defaultPolicy(source).toBuilder()
            .withBackoff(
                Backoff.builder()
                    .withBase(Durations.parse("--backoff-base", backoffBase))
                    .withMultiplier(2)
                    .withCap(Duration.ofSeconds(30))
                    .withMaxRetries(10)
                    .withJitter(Jitter.proportional(0.5))
                    .build());
    List<QuotaLimit> limits = quotaLimits();
    if (!limits.isEmpty()) {
      policy.withQuota(DspSource.ENDPOINT, limits);
    }
    RoyaltyMetricsFile export =
        RoyaltyMetricsFile.start(metricsFile.path, "pull", source, parent.clock);
    return export.run(() -> pull(base, month, sourceConfig, policy.build(), export));
  }

  private int pull(
      URI base,
      YearMonth month,
      SourceConfig sourceConfig,
      ChannelPolicy policy,
      RoyaltyMetricsFile export)
      throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (SystemScheduler scheduler = Scheduler.system(2);
        ProgressLine progress = ProgressLine.onConsole(err, scheduler.clock());
        Transport transport =
            Transport.builder().withRequestTimeout(Duration.ofSeconds(30)).build();
        Database database =
            Database.open(
                DatabaseConfig.builder()
                    .withSqliteFile(db)
                    .withPoolSize(2)
                    .withMigrations(DspSource.MIGRATIONS)
                    .build());
        Lake lakeDir = Lake.open(lake, memoryLimit)) {
      DspSource pull =
          DspSource.builder(base, sourceConfig)
              .withDatabase(database)
              .withTransport(transport)
              .withScheduler(scheduler)
              .withPolicy(policy)
              .withMeterRegistry(export.registry())
              .withPageSize(pageSize)
              .withSink(lakeSink(lakeDir))
              .onPage(
                  p -> {
                    progress.clear();
                    out.printf(
                        "page %s pages=%d staged=%d/%d retries=%d%n",
                        p.report(), p.pages(), p.staged(), p.expected(), p.retries());
                    out.flush();
                    progress.status(
                        String.format(
                            "pull %s: %d pages, %d/%d rows staged, %d retries",
                            p.report(), p.pages(), p.staged(), p.expected(), p.retries()));
                  })
              .onAttempt(e -> showAttempt(progress, e))
              .build();
      progress.repeatOn(scheduler);
      int failed = 0;
      try {
        progress.status("pull list-" + month + ": asking " + base + " for the reports");
        List<ReportManifest> reports = pull.list(month);
        progress.clear();
        out.printf("pulling %s from %s as %s: %d reports%n", month, base, source, reports.size());
        out.flush();
        for (ReportManifest report : reports) {
          out.printf(
              "report %s rows=%d checksum=%s%n", report.id(), report.rows(), report.checksum());
          out.flush();
          failed += pullReport(pull, report, out, err, progress);
        }
      } catch (DspPullException e) {
        progress.clear();
        failed++;
        err.println("paritysync: " + e.getMessage());
        err.flush();
      }
      PullMetrics.PullSummary summary = pull.metrics().summary();
      summary.lines().forEach(l -> out.println("metrics " + l));
      export.rows(summary.validRows() + summary.rejectedRows(), summary.rejectedRows());
      out.flush();
      return failed == 0 ? 0 : 1;
    }
  }

  /** Pulls one report, printing what it staged; returns 1 when the report did not match. */
  private static int pullReport(
      DspSource pull,
      ReportManifest report,
      PrintWriter out,
      PrintWriter err,
      ProgressLine progress) {
    progress.status("pull " + report.id() + ": asking for the first page not yet staged");
    try {
      DspSource.PullResult result = pull.pull(report);
      progress.clear();
      out.printf(
          "complete %s rows=%d pages=%d%s%n",
          report.id(),
          result.stagedRows(),
          result.pages(),
          result.alreadyComplete() ? " (already)" : "");
      result
          .replaced()
          .forEach(
              r ->
                  out.printf(
                      "replaced %s: the rows of %s delivered %s at %s%s%n",
                      report.id(),
                      r.report(),
                      r.route().equals("api") ? "through the API" : "as a file",
                      r.at(),
                      r.complete() ? "" : " (incomplete: " + r.incomplete() + ")"));
      out.flush();
    } catch (ReportMismatchException e) {
      progress.clear();
      err.println("paritysync: " + e.getMessage());
      err.flush();
      return 1;
    }
    return 0;
  }

  /** An attempt worth a line, and the wait before the next one in the status line. */
  private static void showAttempt(ProgressLine progress, AttemptEvent e) {
    String line = attemptLine(e);
    if (line != null) {
      progress.event(line);
      if (e.chosenDelay() != null) {
        progress.status(
            "pull "
                + e.context().correlationId()
                + ": waiting "
                + duration(e.chosenDelay())
                + " before attempt "
                + (e.context().attempt() + 1));
      }
    }
  }

  /**
   * The line a retried attempt is printed as, naming what was asked for (the listing, or a report),
   * the attempt, what the DSP answered and how long the wait is and why; null for an attempt that
   * is not retried (the last one's failure is the command's error line).
   */
  static @Nullable String attemptLine(AttemptEvent e) {
    String what = e.context().correlationId();
    String answered =
        e.outcome().isFailure() ? "failed: " + e.outcome() : "answered " + e.outcome();
    String head = what + " attempt " + e.context().attempt() + " " + answered;
    Action.Kind kind = e.action().kind();
    if (e.chosenDelay() != null && (kind == Action.Kind.RETRY || kind == Action.Kind.RETRY_AFTER)) {
      return "retry "
          + head
          + "; waiting "
          + duration(e.chosenDelay())
          + (e.serverDelay() != null
              ? " (the DSP asked for " + duration(e.serverDelay()) + ")"
              : " (backoff)")
          + " before attempt "
          + (e.context().attempt() + 1);
    }
    return null;
  }

  static String duration(Duration d) {
    return d.toMillis() < 1000
        ? d.toMillis() + " ms"
        : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  /**
   * Complete, verified reports go to the lake: their valid rows replace the report's files (so a
   * pull that dies after publishing and before marking the report complete publishes it again,
   * without duplicates). The rows stay staged in {@code royalty_rows} too.
   */
  static ReportSink lakeSink(Lake lake) {
    return (source, report, rows) -> lake.replaceReport(source, report.id(), rows);
  }

  private List<QuotaLimit> quotaLimits() {
    List<QuotaLimit> limits = new ArrayList<>();
    for (String q : quotas) {
      try {
        limits.add(QuotaLimit.parse(q));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--quota: " + e.getMessage(), e);
      }
    }
    return limits;
  }

  private SourceConfig sourceConfig() throws IOException {
    if (config == null) {
      return SourceConfig.defaults(source, SourceConfig.Format.JSON);
    }
    if (!Files.isRegularFile(config)) {
      throw new IllegalArgumentException("--config: no such file: " + config);
    }
    Map<String, Object> map = ConfigFile.read(config);
    if (!(map.get("sources") instanceof Map<?, ?> all) || !all.containsKey(source)) {
      throw new IllegalArgumentException(
          "--config: " + config + " has no sources." + source + " (give --source one it has)");
    }
    return Objects.requireNonNull(
        ConfigFile.load(config, root -> SourceConfig.all(root.child("sources"))).get(source),
        () -> "--config: " + config + " has no sources." + source);
  }
}
