package dev.paritysync.app;

import dev.paritysync.core.config.ConfigFile;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.core.time.SystemScheduler;
import dev.paritysync.royalty.drift.DriftConfig;
import dev.paritysync.royalty.drift.DriftReport;
import dev.paritysync.royalty.drift.DriftRuns;
import dev.paritysync.royalty.drift.LakeException;
import dev.paritysync.store.Database;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code paritysync royalty drift}: checks one period of the lake against the catalog and the
 * trailing periods, writes JSON and CSV reports and prints a summary.
 */
@Command(
    name = "drift",
    mixinStandardHelpOptions = true,
    description = {
      "Checks one period of the lake for drift: unknown ISRCs, ISRC/UPC pairs the catalog",
      "contradicts, revenue per stream outside its band, zero revenue or zero streams, volume",
      "jumps. Findings are not errors: the exit code is 0 whenever the check ran."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:checked (whatever was found)",
      "1:the lake, its sales or its catalog is missing or unreadable",
      "2:bad input (period, format, configuration)"
    })
final class DriftCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @ParentCommand RoyaltyCommand parent;

  @Option(
      names = "--lake",
      paramLabel = "DIR",
      defaultValue = "lake",
      description = "the lake directory (default: ${DEFAULT-VALUE})")
  Path lake;

  @Option(
      names = "--period",
      required = true,
      paramLabel = "YYYY-MM",
      description = "the month to check")
  String period;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "a YAML file whose drift: section sets thresholds (default: built-in)")
  @Nullable Path config;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = ".",
      description = "where drift-<period>.json/.csv go (default: the current directory)")
  Path out;

  @Option(
      names = "--format",
      paramLabel = "json,csv",
      split = ",",
      defaultValue = "json,csv",
      description = "report files to write (default: ${DEFAULT-VALUE})")
  List<String> formats;

  @Option(
      names = "--db",
      paramLabel = "FILE",
      description = "also keep the counts and top findings in this SQLite file (for serve's UI)")
  @Nullable Path db;

  @Option(
      names = "--url",
      paramLabel = "jdbc:...",
      description = "as --db, in the database at this JDBC URL")
  @Nullable String url;

  @Override
  public Integer call() {
    YearMonth month;
    try {
      month = YearMonth.parse(period.strip());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--period: '" + period + "' is not a month (YYYY-MM)");
    }
    Set<DriftReport.Format> wanted = EnumSet.noneOf(DriftReport.Format.class);
    formats.forEach(f -> wanted.add(DriftReport.Format.of(f)));
    DriftConfig settings = config == null ? DriftConfig.defaults() : load(config);
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DriftReport.Written written;
    try (SystemScheduler scheduler = Scheduler.system(1);
        ProgressLine progress = ProgressLine.onConsole(err, parent.clock)) {
      progress.repeatOn(scheduler);
      written = DriftReport.write(lake, month, settings, out, wanted, progress::status);
      progress.clear();
    } catch (LakeException | UncheckedIOException e) {
      err.println("paritysync: " + e.getMessage());
      return 1;
    }
    stdout.print(written.summary().describe());
    written.files().forEach(f -> stdout.println("wrote " + f));
    if (db != null || url != null) {
      try (Database database = Database.open(RoyaltyCommand.database(db, url, 1))) {
        database.inTransactionRun(
            c -> DriftRuns.record(c, written.summary(), parent.clock.instant(), written.files()));
        stdout.println(
            "kept the counts and top findings in " + Database.redactUrl(database.config().url()));
      }
    }
    return 0;
  }

  /** The {@code drift:} section of {@code file}; other sections are left to their commands. */
  static DriftConfig load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--config: no such file " + file);
    }
    return ConfigFile.load(file, root -> DriftConfig.from(root.child("drift")));
  }
}
