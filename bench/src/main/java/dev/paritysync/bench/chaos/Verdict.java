package dev.paritysync.bench.chaos;

import dev.paritysync.sim.SimChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The soak's checks, printed as a table with one line per check; {@link #print} says if all held.
 */
final class Verdict {
  /** The last life's peak memory may exceed the first's by this factor before it is "growing". */
  private static final double FLAT = 1.5;

  private final Load load;
  private final Hostile hostile;
  private final Probe probe;
  private final Parity parity;
  private final SimChannel sim;
  private final List<String> events;
  private final @Nullable Duration settled;
  private final int exit;
  private final long cells;
  private final List<String> failed = new ArrayList<>();

  Verdict(
      Load load,
      Hostile hostile,
      Probe probe,
      Parity parity,
      SimChannel sim,
      List<String> events,
      @Nullable Duration settled,
      int exit,
      long cells) {
    this.cells = cells;
    this.load = load;
    this.hostile = hostile;
    this.probe = probe;
    this.parity = parity;
    this.sim = sim;
    this.events = events;
    this.settled = settled;
    this.exit = exit;
  }

  boolean print() throws Exception {
    System.out.println();
    System.out.println(events.size() + " events (listed above as they happened)");
    System.out.println();
    System.out.println("| check | measured | holds |");
    System.out.println("|---|---|---|");
    Map<String, String> accepted = load.accepted();
    List<String> missing = parity.missingChanges(accepted.values());
    long stored = parity.count("SELECT COUNT(*) FROM ari_changes");
    row(
        "every 202 in the store",
        accepted.size() + " answered 202, " + missing.size() + " of them missing",
        missing.isEmpty());
    row(
        "nothing stored twice, nothing hostile stored",
        stored + " changes stored for " + accepted.size() + " accepted keys",
        stored == accepted.size());
    row(
        "valid changes never refused",
        load.refusedValid().size() + " refused" + first(load.refusedValid()),
        load.refusedValid().isEmpty());
    row(
        "settled after the load stopped",
        settled == null ? "not within 5 min" : settled.toSeconds() + " s",
        settled != null);
    List<String> mismatches = parity.mismatches(sim);
    row(
        "parity with the truth",
        mismatches.size() + " mismatches" + first(mismatches),
        mismatches.isEmpty());
    row(
        "no double application on the channel",
        sim.doubleApplications()
            + " keys applied twice; channel statuses "
            + sim.stats().byStatus(),
        sim.doubleApplications() == 0);
    row(
        "liveness answered within " + Probe.LIVE_TIMEOUT.toSeconds() + " s while up",
        probe.liveOk()
            + " answered (slowest "
            + probe.slowestLiveMillis()
            + " ms), "
            + probe.liveFailures().size()
            + " not"
            + first(probe.liveFailures()),
        probe.liveFailures().isEmpty() && probe.liveOk() > 0);
    Map<Integer, Long> rss = probe.maxRssByLife();
    long firstLife = rss.isEmpty() ? 0 : rss.values().iterator().next();
    long lastLife = rss.isEmpty() ? 0 : ((TreeMap<Integer, Long>) rss).lastEntry().getValue();
    row(
        "memory flat (peak RSS of the last life ≤ " + FLAT + " × the first's)",
        "peak RSS MiB by life " + rss,
        !rss.isEmpty() && lastLife <= FLAT * firstLife);
    row(
        "queue bounded (pending never above the portfolio's " + cells + " cells: coalesced)",
        "most cells pending at once: " + probe.maxPending(),
        probe.maxPending() <= cells);
    row(
        "hostile requests answered 4xx, never 5xx (503 allowed)",
        new TreeMap<>(counts(hostile.answers()))
            + "; slowloris: "
            + hostile.slowOpened()
            + " opened, "
            + hostile.slowClosedByServer()
            + " closed on them",
        hostile.serverErrors() == 0);
    row(
        "PMS answers",
        new TreeMap<>(counts(load.statuses()))
            + ", "
            + load.connectionFailures()
            + " without an answer",
        load.statuses().keySet().stream().noneMatch(s -> s >= 500 && s != 503));
    row("exit status after SIGTERM", Integer.toString(exit), exit == 0);
    System.out.println();
    System.out.println(failed.isEmpty() ? "every check held" : "FAILED: " + failed);
    return failed.isEmpty();
  }

  private void row(String check, String measured, boolean holds) {
    System.out.printf(Locale.ROOT, "| %s | %s | %s |%n", check, measured, holds ? "yes" : "**no**");
    if (!holds) {
      failed.add(check);
    }
  }

  private static <K> Map<K, Long> counts(Map<K, AtomicLong> m) {
    Map<K, Long> out = new java.util.HashMap<>();
    m.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  private static String first(List<String> l) {
    return l.isEmpty() ? "" : " (first: " + l.get(0).replace('|', '/') + ")";
  }
}
