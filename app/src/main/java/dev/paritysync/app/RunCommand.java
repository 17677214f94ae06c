package dev.paritysync.app;

import dev.paritysync.app.config.EngineFileConfig;
import dev.paritysync.app.feed.FeedReader;
import dev.paritysync.app.telemetry.Telemetry;
import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.config.Durations;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.hotel.engine.ChangesRejected;
import dev.paritysync.hotel.engine.HotelEngine;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code paritysync run}: the hotel engine as a process, until SIGTERM or SIGINT. With {@code
 * --feed} it first bulk-loads changes from an NDJSON file, printing {@code accepted <line>} once
 * each call is durable. Beside the engine it runs verify before resume ({@code
 * reconciliation.verifyAfterOpen}), the reconciliation timetable when configured, and a reservation
 * poller per channel with {@code reservations: {mode: poll}}. It exports traces as {@code
 * telemetry:} says, and refuses a file with {@code server:} or a channel's {@code webhook:}, which
 * only {@code serve} reads. After a signal it exits 0 once the deliveries in progress finished.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the hotel engine until SIGTERM/SIGINT: ingest, then per channel deliver to parity.",
      "Prints one status line per channel every --status-every; see docs/running.md."
    })
final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(20);

  @Option(names = "--config", required = true, description = "the YAML configuration file")
  Path config;

  @Option(
      names = "--status-every",
      defaultValue = "10s",
      description = "how often to print channel status (default: ${DEFAULT-VALUE}; 0 = off)")
  String statusEvery;

  @Option(names = "--feed", description = "an NDJSON file of changes to ingest first")
  @Nullable Path feed;

  @Option(
      names = "--from-line",
      defaultValue = "1",
      description = "the first line of --feed to ingest (default: ${DEFAULT-VALUE})")
  long fromLine;

  @Option(
      names = "--feed-batch",
      defaultValue = "100",
      description = "lines of --feed per ingest call (default: ${DEFAULT-VALUE})")
  int feedBatch;

  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean drained;

  @Override
  public Integer call() throws Exception {
    Duration every =
        "0".equals(statusEvery.trim())
            ? Duration.ZERO
            : Durations.parse("--status-every", statusEvery);
    EngineFileConfig cfg = EngineFileConfig.load(config, SecretResolver.system());
    List<String> serveOnly = cfg.serveOnly();
    if (!serveOnly.isEmpty()) {
      throw new IllegalArgumentException(
          config
              + ": "
              + String.join(", ", serveOnly)
              + (serveOnly.size() == 1 ? " is" : " are")
              + " read by 'paritysync serve' only ('run' has no HTTP server);"
              + " remove "
              + (serveOnly.size() == 1 ? "it" : "them")
              + " or use serve");
    }
    FeedReader reader = feed == null ? null : FeedReader.open(feed, fromLine, feedBatch);
    PrintStream out = System.out;
    SignalExit.Registration hook = SignalExit.register(this::onSignal, "paritysync-shutdown");
    Clock clock = Clock.system();
    try {
      // Telemetry outlives the engine, so the last spans are flushed after the last delivery.
      try (Telemetry telemetry = Telemetry.start(cfg.telemetry());
          EngineHost host =
              EngineHost.open(
                  cfg,
                  clock,
                  SHUTDOWN_WAIT.dividedBy(2),
                  1,
                  List.of(),
                  b -> b.withOpenTelemetry(telemetry.openTelemetry()),
                  out)) {
        host.start();
        HotelEngine engine = host.engine();
        out.println("running channels=" + engine.channels() + " database=" + host.db().config());
        out.flush();
        Scheduler.Cancellable status =
            every.isZero() ? () -> false : printStatus(engine, host.scheduler(), every, out);
        try {
          if (reader != null) {
            int code = ingest(engine, reader, out);
            if (code != 0) {
              return code;
            }
          }
          stop.await();
        } finally {
          status.cancel();
          if (reader != null) {
            reader.close();
          }
        }
        out.println("stopping: finishing deliveries");
        out.flush();
      }
      out.println("stopped");
      out.flush();
      drained = true;
    } finally {
      stopped.countDown();
      hook.close();
    }
    return 0;
  }

  private int ingest(HotelEngine engine, FeedReader reader, PrintStream out) {
    Optional<FeedReader.Batch> next;
    while (stop.getCount() > 0 && (next = reader.next()).isPresent()) {
      FeedReader.Batch batch = next.get();
      if (!batch.errors().isEmpty()) {
        batch.errors().forEach(e -> System.err.println("paritysync: --feed " + e));
        return 2;
      }
      if (!batch.changes().isEmpty()) {
        try {
          engine.ingest().accept(batch.changes());
        } catch (ChangesRejected e) {
          for (FieldError error : e.errors()) {
            System.err.println("paritysync: --feed " + batch.onLine(error));
          }
          return 2;
        }
      }
      out.println("accepted " + batch.lastLine());
      out.flush();
    }
    if (stop.getCount() > 0) {
      out.println("feed complete " + reader.lineNumber());
      out.flush();
    }
    return 0;
  }

  private static Scheduler.Cancellable printStatus(
      HotelEngine engine, Scheduler scheduler, Duration every, PrintStream out) {
    Runnable[] task = new Runnable[1];
    Scheduler.Cancellable[] next = new Scheduler.Cancellable[1];
    boolean[] cancelled = new boolean[1];
    task[0] =
        () -> {
          try {
            engine.status().values().forEach(s -> out.println(line(s)));
            out.flush();
          } catch (RuntimeException e) {
            log.warn("could not read channel status", e);
          } finally {
            synchronized (next) {
              if (!cancelled[0]) {
                next[0] = scheduler.schedule(every, task[0]);
              }
            }
          }
        };
    synchronized (next) {
      next[0] = scheduler.schedule(every, task[0]);
    }
    return () -> {
      synchronized (next) {
        cancelled[0] = true;
        return next[0].cancel();
      }
    };
  }

  /** One status line: {@code status <channel> settled=.. pending=.. ...}. */
  static String line(HotelEngine.ChannelStatus s) {
    return "status "
        + s.channel()
        + " settled="
        + s.settled()
        + " pending="
        + s.pendingCells()
        + " inFlight="
        + s.inFlightCells()
        + " retrying="
        + s.retryingBatches()
        + " deadLetters="
        + s.deadLetters()
        + " reconciliation="
        + s.reconciliation()
        + " atParity="
        + s.cellsAtParity()
        + " requests="
        + s.requests()
        + " circuit="
        + s.circuit();
  }

  /** Ends {@link #call()} as SIGTERM would, without waiting; for tests running it in a thread. */
  void stop() {
    stop.countDown();
  }

  private void onSignal() {
    stop.countDown();
    SignalExit.afterStop(stopped, () -> drained, SHUTDOWN_WAIT, System.err);
  }
}
