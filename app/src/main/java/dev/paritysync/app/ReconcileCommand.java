package dev.paritysync.app;

import dev.paritysync.app.admin.ReconcileAdmin;
import dev.paritysync.app.config.EngineFileConfig;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.core.time.SystemScheduler;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.hotel.reconcile.ConflictResolver;
import dev.paritysync.hotel.reconcile.DriftClass;
import dev.paritysync.hotel.reconcile.ReconciliationReport;
import dev.paritysync.hotel.reconcile.ReportWriters;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code paritysync reconcile}: reads what channels hold, reports drift against truth (JSON, CSV,
 * HTML), re-pushes small drift and holds large drift for approval (see docs/reconciliation.md).
 * Works on the engine's database beside a running engine: re-pushed cells become pending, and the
 * running engine sends them.
 */
@Command(
    name = "reconcile",
    mixinStandardHelpOptions = true,
    description = {
      "Reconciliation: compare what each channel holds with truth; re-push small drift, flag",
      "large drift for review until approved. See docs/reconciliation.md."
    },
    subcommands = {
      ReconcileCommand.RunPass.class,
      ReconcileCommand.Approve.class,
      ReconcileCommand.Show.class,
      ReconcileCommand.Resolve.class
    })
final class ReconcileCommand implements Runnable {
  @Spec CommandSpec spec;

  /** Where report times and ledger entries take their time from; tests set virtual time. */
  Clock clock = Clock.system();

  static ReconcileCommand withClock(Clock clock) {
    ReconcileCommand command = new ReconcileCommand();
    command.clock = Objects.requireNonNull(clock, "clock");
    return command;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * The configured engine (its delivery loops not started), its database and transport, on the
   * command's clock; a clock that is also a scheduler (virtual time) schedules the reads' waits.
   */
  static final class Wiring implements AutoCloseable {
    final EngineFileConfig config;
    final Database db;
    final Transport transport;
    final @Nullable SystemScheduler ownScheduler;
    final HotelEngine engine;
    final ReconcileAdmin admin;

    Wiring(Path file, Clock clock) {
      this.config = EngineFileConfig.load(file, SecretResolver.system());
      Scheduler scheduler;
      if (clock instanceof Scheduler s) {
        scheduler = s;
        ownScheduler = null;
      } else {
        ownScheduler = Scheduler.system(2);
        scheduler = ownScheduler;
      }
      this.db =
          Database.open(
              DatabaseConfig.builder()
                  .withUrl(config.databaseUrl())
                  .withPoolSize(2)
                  .withMigrations("classpath:db/migration/hotel")
                  .build());
      this.transport = Transport.builder().withClock(clock).build();
      this.engine =
          HotelEngine.builder()
              .withDatabase(db)
              .withClock(clock)
              .withScheduler(scheduler)
              .withTransport(transport)
              .withPortfolio(config.portfolio())
              .withChannels(config.channels())
              .build();
      this.admin =
          new ReconcileAdmin(
              engine,
              db,
              clock,
              config.reconciliation(),
              config.portfolio().properties().stream()
                  .map(dev.paritysync.hotel.ari.Property::code)
                  .toList());
    }

    @Override
    public void close() {
      engine.close();
      transport.close();
      if (ownScheduler != null) {
        ownScheduler.close();
      }
      db.close();
    }
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "One reconciliation pass: read each channel's snapshot, classify the drift, re-push it",
        "when under the thresholds (reconciliation.autoCorrect), else flag the report REVIEW.",
        "Writes reconcile-<id>.json, .csv and .html to --out and prints a summary."
      })
  static final class RunPass implements Callable<Integer> {
    @ParentCommand ReconcileCommand parent;
    @Spec CommandSpec spec;

    @Option(names = "--config", required = true, description = "the YAML configuration file")
    Path config;

    @Option(names = "--channel", description = "a channel to read (repeatable; default: all)")
    List<String> channels = new ArrayList<>();

    @Option(
        names = "--property",
        description = "a property to read (repeatable; default: every property of the portfolio)")
    List<String> properties = new ArrayList<>();

    @Option(names = "--from", description = "the first date (default: today, UTC)")
    @Nullable String from;

    @Option(names = "--to", description = "the last date, inclusive (default: --from + 30 days)")
    @Nullable String to;

    @Option(
        names = "--out",
        defaultValue = ".",
        description = "where the reports go (default: the current directory)")
    Path out;

    @Override
    public Integer call() throws Exception {
      LocalDate today = LocalDate.ofInstant(parent.clock.instant(), java.time.ZoneOffset.UTC);
      LocalDate f = from == null ? today : date("--from", from);
      LocalDate t = to == null ? f.plusDays(30) : date("--to", to);
      try (Wiring w = new Wiring(config, parent.clock)) {
        List<String> codes =
            w.config.portfolio().properties().stream()
                .map(dev.paritysync.hotel.ari.Property::code)
                .toList();
        List<String> props = properties.isEmpty() ? codes : properties;
        for (String p : props) {
          if (!codes.contains(p)) {
            throw new IllegalArgumentException(
                "--property " + p + ": not in the portfolio; properties: " + codes);
          }
        }
        ReconciliationReport report = w.admin.run(channels, props, f, t);
        Path[] files = write(out, report);
        PrintWriter o = spec.commandLine().getOut();
        o.println(summary(report));
        for (ReconciliationReport.Group g : report.groups()) {
          o.println(line(g));
        }
        for (Path file : files) {
          o.println("wrote " + file);
        }
        if (report.status() == ReconciliationReport.Status.REVIEW) {
          o.println(
              "review: nothing was pushed for the groups flagged REVIEW; approve with"
                  + " paritysync reconcile approve "
                  + report.id()
                  + " --config "
                  + config);
        }
        o.flush();
        return 0;
      }
    }
  }

  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      description = {
        "Approves a report flagged REVIEW: its drifted cells become pending again at truth's",
        "version, for their channel only; the running engine sends them."
      })
  static final class Approve implements Callable<Integer> {
    @ParentCommand ReconcileCommand parent;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "REPORT_ID", description = "the report to approve")
    String id;

    @Option(names = "--config", required = true, description = "the YAML configuration file")
    Path config;

    @Option(names = "--by", description = "who approves, for the ledger (default: the user name)")
    @Nullable String by;

    @Override
    public Integer call() {
      String who = by != null ? by : System.getProperty("user.name", "unknown");
      try (Wiring w = new Wiring(config, parent.clock)) {
        ReconciliationReport r = w.admin.approve(id, who);
        PrintWriter o = spec.commandLine().getOut();
        o.println(summary(r));
        for (ReconciliationReport.Group g : r.groups()) {
          o.println(line(g));
        }
        o.flush();
        return 0;
      }
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = {
        "Reads a snapshot of an open reconciliation item's cells (a batch the channel answered",
        "409) and prints truth and the channel's value side by side."
      })
  static final class Show implements Callable<Integer> {
    @ParentCommand ReconcileCommand parent;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ITEM", description = "the reconciliation item's id")
    String item;

    @Option(names = "--config", required = true, description = "the YAML configuration file")
    Path config;

    @Override
    public Integer call() throws Exception {
      try (Wiring w = new Wiring(config, parent.clock)) {
        ConflictResolver.View v = w.admin.conflict(item);
        PrintWriter o = spec.commandLine().getOut();
        o.println("item " + v.item() + " channel=" + v.channel() + " property=" + v.property());
        o.printf(
            "%-10s %-10s %-10s %-30s %-30s %s%n", "ROOM", "PLAN", "DATE", "TRUTH", "CHANNEL", "");
        for (ConflictResolver.Side side : v.cells()) {
          o.printf(
              "%-10s %-10s %-10s %-30s %-30s %s%n",
              side.cell().roomType(),
              side.cell().ratePlan() == null ? "-" : side.cell().ratePlan(),
              side.cell().date(),
              ReportWriters.describe(side.cell().values()),
              side.channel() == null ? "(nothing)" : ReportWriters.describe(side.channel()),
              side.agree() ? "same" : "differs");
        }
        o.flush();
        return 0;
      }
    }
  }

  @Command(
      name = "resolve",
      mixinStandardHelpOptions = true,
      description = {
        "Resolves an open reconciliation item: --repush sends truth again to its channel;",
        "--accept-channel makes the channel's values truth (a new version, for every channel)."
      })
  static final class Resolve implements Callable<Integer> {
    @ParentCommand ReconcileCommand parent;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ITEM", description = "the reconciliation item's id")
    String item;

    @Option(names = "--config", required = true, description = "the YAML configuration file")
    Path config;

    @Option(names = "--repush", description = "re-push truth to the channel")
    boolean repush;

    @Option(names = "--accept-channel", description = "accept the channel's values into truth")
    boolean acceptChannel;

    @Option(names = "--by", description = "who resolves, for the ledger (default: the user name)")
    @Nullable String by;

    @Override
    public Integer call() throws Exception {
      if (repush == acceptChannel) {
        throw new IllegalArgumentException("give exactly one of --repush and --accept-channel");
      }
      String who = by != null ? by : System.getProperty("user.name", "unknown");
      try (Wiring w = new Wiring(config, parent.clock)) {
        ConflictResolver.Resolution how =
            repush
                ? ConflictResolver.Resolution.REPUSH
                : ConflictResolver.Resolution.ACCEPT_CHANNEL;
        int n = w.admin.resolve(item, how, who);
        PrintWriter o = spec.commandLine().getOut();
        o.println(
            "resolved "
                + item
                + (repush ? " re-pushed " + n + " cells" : " accepted " + n + " cells into truth"));
        o.flush();
        return 0;
      }
    }
  }

  static LocalDate date(String option, String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(option + ": '" + value + "' is not a date (yyyy-MM-dd)");
    }
  }

  /** {@code report <id> <status> from=.. to=.. groups=..}. */
  static String summary(ReconciliationReport r) {
    return "report "
        + r.id()
        + " "
        + r.status()
        + " from="
        + r.from()
        + " to="
        + r.to()
        + " groups="
        + r.groups().size();
  }

  /** {@code <channel> <property> <status> compared=.. drift=..% STALE=.. ... repushed=..}. */
  static String line(ReconciliationReport.Group g) {
    StringBuilder b =
        new StringBuilder(g.channel())
            .append(' ')
            .append(g.property())
            .append(' ')
            .append(g.status())
            .append(" compared=")
            .append(g.compared())
            .append(" drift=")
            .append(g.driftPercent())
            .append('%');
    g.counts().forEach((DriftClass k, Integer v) -> b.append(' ').append(k).append('=').append(v));
    b.append(" repushed=").append(g.repushed());
    if (g.note() != null) {
      b.append(" note=\"").append(g.note()).append('"');
    }
    return b.toString();
  }

  private static Path[] write(Path dir, ReconciliationReport r) {
    try {
      Files.createDirectories(dir);
      Path json = dir.resolve("reconcile-" + r.id() + ".json");
      Path csv = dir.resolve("reconcile-" + r.id() + ".csv");
      Path html = dir.resolve("reconcile-" + r.id() + ".html");
      Files.writeString(json, ReportWriters.json(r), StandardCharsets.UTF_8);
      Files.writeString(csv, ReportWriters.csv(r), StandardCharsets.UTF_8);
      Files.writeString(html, ReportWriters.html(r), StandardCharsets.UTF_8);
      return new Path[] {json, csv, html};
    } catch (IOException e) {
      throw new UncheckedIOException("--out " + dir + ": cannot write the reports: " + e, e);
    }
  }
}
