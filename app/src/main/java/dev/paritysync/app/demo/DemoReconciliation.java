package dev.paritysync.app.demo;

import dev.paritysync.core.time.Clock;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.channel.ChannelMapping;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.hotel.reconcile.Reconciler;
import dev.paritysync.hotel.reconcile.ReconciliationReport;
import dev.paritysync.hotel.reconcile.ReportWriters;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.CellValue;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.store.Database;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/** The demo's closing reconciliation pass, and its verdict. Stateless. */
final class DemoReconciliation {
  private DemoReconciliation() {}

  /**
   * The closing reconciliation pass: three cells change behind the engine's back (two rates edited
   * in the healthy channel's extranet, one cell the flaky channel lost), then every channel that
   * can be read is read back and compared with the truth; the small drift is re-pushed at once and
   * the HTML, JSON and CSV reports are written beside the database (or to a new temporary
   * directory, kept). Returns 0 when the drift found is exactly what was done to the channels and
   * every channel holds the truth again afterwards.
   */
  static int run(
      HotelEngine engine,
      Database db,
      Map<String, ChannelConfig> configs,
      Map<String, SimChannel> sims,
      LocalDate firstNight,
      int days,
      Clock clock,
      DemoProgress progress,
      @Nullable Path keepDatabase,
      PrintStream out)
      throws IOException, InterruptedException {
    out.println("reconciliation — what each channel really holds, read back and compared");
    List<String> drifted = tamper(engine, sims, firstNight);
    out.printf(
        "[%s] behind the engine's back: %s%n",
        progress.elapsed(),
        drifted.isEmpty() ? "nothing (no channel can be read back)" : String.join(", ", drifted));

    List<String> properties = new ArrayList<>();
    for (int p = 1; p <= EngineDemo.PROPERTIES; p++) {
      properties.add("H" + p);
    }
    Reconciler reconciler =
        Reconciler.builder().withEngine(engine).withDatabase(db).withClock(clock).build();
    ReconciliationReport report;
    try {
      report =
          reconciler
              .run(List.of(), properties, firstNight, firstNight.plusDays(days - 1))
              .get(EngineDemo.SETTLE_LIMIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      out.printf("reconciliation failed: %s%n", e.getCause() == null ? e : e.getCause());
      return 1;
    }
    int found = printChannels(report, sims, out);
    writeReports(report, keepDatabase, out);

    boolean settled = progress.awaitSettled(clock.nanoTime(), EngineDemo.SETTLE_LIMIT);
    long wrong = stillWrong(engine, configs, sims);
    boolean exact = found == drifted.size();
    out.printf(
        "[%s] %s; %s%n",
        progress.elapsed(),
        exact
            ? "the drift found is exactly the drift made"
            : "found " + found + " drifted cells, made " + drifted.size(),
        settled && wrong == 0
            ? "after the re-push every channel holds the truth again"
            : wrong + " cells still differ from the truth");
    return exact && settled && wrong == 0 ? 0 : 1;
  }

  /**
   * Changes cells behind the engine's back — an extranet edit of two rates on the healthy channel,
   * a lost update of one cell on the flaky one — only on channels that can be read back (drift
   * elsewhere would go unseen); returns what was changed.
   */
  private static List<String> tamper(
      HotelEngine engine, Map<String, SimChannel> sims, LocalDate firstNight) {
    List<String> drifted = new ArrayList<>();
    SimChannel healthy = DemoChannels.named(sims, "healthy");
    boolean healthyReadable = engine.reader("healthy").isPresent();
    for (int d : healthyReadable ? new int[] {10, 11} : new int[0]) {
      CellKey key = new CellKey("D-STD", "BAR", firstNight.plusDays(d));
      CellValue held = healthy.state("H1").get(key);
      if (held != null) {
        healthy.overwrite(
            "H1",
            key,
            new CellValue(
                new BigDecimal("9.99"),
                held.currency(),
                held.availability(),
                held.minLos(),
                held.maxLos(),
                held.closed(),
                held.closedToArrival(),
                held.closedToDeparture()));
        drifted.add("healthy H1/D-STD/BAR/" + key.date());
      }
    }
    CellKey lost = new CellKey("D-DBL", null, firstNight.plusDays(30));
    SimChannel flaky = DemoChannels.named(sims, "flaky");
    if (engine.reader("flaky").isPresent() && flaky.state("H2").containsKey(lost)) {
      flaky.drop("H2", lost);
      drifted.add("flaky H2/D-DBL/" + lost.date());
    }
    return drifted;
  }

  /** One line per channel: cells compared, drifted and re-pushed; returns the drifted cells. */
  private static int printChannels(
      ReconciliationReport report, Map<String, SimChannel> sims, PrintStream out) {
    int found = 0;
    for (String channel : sims.keySet()) {
      int compared = 0;
      int drift = 0;
      int repushed = 0;
      String note = null;
      for (ReconciliationReport.Group g : report.groups()) {
        if (g.channel().equals(channel)) {
          compared += g.compared();
          drift += g.drifted();
          repushed += g.repushed();
          if (g.status() == ReconciliationReport.Status.UNREADABLE) {
            note = g.note();
          }
        }
      }
      found += drift;
      out.printf(
          Locale.ROOT,
          "  %-8s %s%n",
          channel,
          note != null
              ? note
              : String.format(
                  Locale.ROOT,
                  "%,d cells compared, %d drifted, %d re-pushed",
                  compared,
                  drift,
                  repushed));
    }
    return found;
  }

  /** The HTML, JSON and CSV reports, beside the kept database or in a new temporary directory. */
  private static void writeReports(
      ReconciliationReport report, @Nullable Path keepDatabase, PrintStream out)
      throws IOException {
    Path dir =
        keepDatabase != null
            ? Objects.requireNonNull(
                keepDatabase.toAbsolutePath().getParent(), () -> "no directory: " + keepDatabase)
            : Files.createTempDirectory("paritysync-demo-report");
    Path html = dir.resolve("reconcile-" + report.id() + ".html");
    Files.writeString(html, ReportWriters.html(report));
    Files.writeString(
        dir.resolve("reconcile-" + report.id() + ".json"), ReportWriters.json(report));
    Files.writeString(dir.resolve("reconcile-" + report.id() + ".csv"), ReportWriters.csv(report));
    out.printf("  report %s (status %s): %s%n", report.id(), report.status(), html);
  }

  /** Cells a channel holds differently from the truth, parked and unmapped ones aside. */
  private static long stillWrong(
      HotelEngine engine, Map<String, ChannelConfig> configs, Map<String, SimChannel> sims) {
    long wrong = 0;
    for (Map.Entry<String, SimChannel> e : sims.entrySet()) {
      ChannelMapping mapping = DemoChannels.named(configs, e.getKey()).mapping();
      for (int p = 1; p <= EngineDemo.PROPERTIES; p++) {
        Map<CellKey, CellValue> held = e.getValue().state("H" + p);
        for (HotelEngine.CellState c : engine.cells(e.getKey(), "H" + p)) {
          if (!c.parked()
              && mapping.map(c.cell()).isPresent()
              && !ParityReport.same(c.cell(), mapping, held)) {
            wrong++;
          }
        }
      }
    }
    return wrong;
  }
}
