package dev.paritysync.app;

import dev.paritysync.app.demo.EngineDemo;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code paritysync demo}: the README's first command. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the hotel engine on the embedded default (a fresh SQLite file) against three",
      "simulated channels on loopback: healthy; flaky (5xx, 429s, resets, OAuth2); one with an",
      "outage, a rate floor and cells in conflict. Loads 5 properties x 8 room types x 3 rate",
      "plans x 365 days, plays a day of changes, shows progress per channel and ends with a",
      "parity report. Exit code 0 when every cell not in a queue is at parity.",
      "--quick: the same demo on 60 days, 500 changes over 5s and a 5s outage (under a minute).",
      "--ui: after the report, keeps the engine and simulators running with the web UI on a",
      "printed loopback URL and a printed admin token, until Ctrl-C (see docs/ui.md)."
    })
final class DemoCommand implements Callable<Integer> {
  /** {@code --quick}'s defaults: what it changes unless given explicitly. */
  static final int QUICK_CHANGES = 500;

  static final Duration QUICK_DAY = Duration.ofSeconds(5);
  static final Duration QUICK_OUTAGE = Duration.ofSeconds(5);

  /** How long a signal waits for {@code --ui} to stop: the drain and the engine's stop. */
  static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(60);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--quick",
      description = {
        "a shorter run of the same demo: a portfolio of " + EngineDemo.QUICK_DAYS + " days,",
        "--changes " + QUICK_CHANGES + ", --day 5s, --outage 5s (options given explicitly win)"
      })
  boolean quick;

  @Option(names = "--seed", defaultValue = "7", description = "seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--changes",
      defaultValue = "3000",
      description = "changes in the revenue manager's day (default: ${DEFAULT-VALUE})")
  int changes;

  @Option(
      names = "--day",
      defaultValue = "20s",
      converter = DurationConverter.class,
      description = "how long the day takes to play (default: ${DEFAULT-VALUE})")
  Duration day;

  @Option(
      names = "--outage",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "how long the third channel is down (default: ${DEFAULT-VALUE})")
  Duration outage;

  @Option(
      names = "--db",
      description = "keep the database at this new file (default: a temporary file, deleted)")
  @Nullable Path db;

  @Option(
      names = "--channels",
      split = ",",
      defaultValue = "native",
      paramLabel = "ADAPTER[,ADAPTER,ADAPTER]",
      description = {
        "the adapter each channel speaks (and its simulator): one for all three, or three for",
        "healthy, flaky and outage in that order, e.g. ota,cloudbeds,channex (default: native)"
      })
  List<String> channels;

  @Option(
      names = "--ui",
      description = {
        "after the report, serve the web UI over the running engine on 127.0.0.1 until",
        "Ctrl-C; prints its URL and an admin token drawn for this run"
      })
  boolean ui;

  @Option(
      names = "--ui-port",
      defaultValue = "0",
      description = "the port of --ui (default: ${DEFAULT-VALUE}, any free port)")
  int uiPort;

  /** Where the demo prints; tests read it. */
  PrintStream out = System.out;

  /** Whether {@code --ui} stops on SIGTERM/SIGINT; tests call {@link #stop()} instead. */
  boolean onSignals = true;

  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile @Nullable DemoUi held;
  private volatile boolean clean;

  @Override
  public Integer call() throws Exception {
    int days = 365;
    if (quick) {
      CommandLine.ParseResult given = spec.commandLine().getParseResult();
      changes = given.hasMatchedOption("--changes") ? changes : QUICK_CHANGES;
      day = given.hasMatchedOption("--day") ? day : QUICK_DAY;
      outage = given.hasMatchedOption("--outage") ? outage : QUICK_OUTAGE;
      days = EngineDemo.QUICK_DAYS;
    }
    EngineDemo demo = new EngineDemo(seed, changes, day, outage, days, db, channels, out);
    if (!ui) {
      if (spec.commandLine().getParseResult().hasMatchedOption("--ui-port")) {
        throw new IllegalArgumentException("--ui-port " + uiPort + " needs --ui");
      }
      return demo.run();
    }
    held = new DemoUi(uiPort, out);
    SignalExit.Registration hook =
        SignalExit.register(onSignals, this::onSignal, "paritysync-demo-stop");
    try {
      int code = demo.holdingAfterReport(held).run();
      out.println("stopped");
      out.flush();
      clean = code == 0;
      return code;
    } finally {
      stopped.countDown();
      hook.close();
    }
  }

  /** With {@code --ui}: ends the UI, then the demo; what a signal does. */
  void stop() {
    DemoUi h = held;
    if (h != null) {
      h.stop();
    }
  }

  private void onSignal() {
    DemoUi h = held;
    if (h == null || !h.serving()) {
      return; // during the demo itself a signal ends it as it always did
    }
    h.stop();
    SignalExit.afterStop(stopped, () -> clean, SHUTDOWN_WAIT, System.err);
  }
}
