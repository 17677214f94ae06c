package dev.paritysync.royalty.dsp;

import dev.paritysync.core.classify.Action;
import dev.paritysync.core.retry.AttemptEvent;
import dev.paritysync.core.time.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The numbers of one run of a {@link DspSource}: rows per second, retry rate, backoff p95, schema
 * rejection rate and sync completion delta (report requested → committed). Each is also recorded in
 * a Micrometer registry under the names below (tag {@code source}), so {@code /metrics} can show
 * them (each with a fixed description, the HELP text of the Prometheus exposition); {@link
 * #summary()} computes them exactly for the run. Thread-safe.
 */
public final class PullMetrics {
  /** Counter of rows newly staged; tags source, outcome ({@code valid} or {@code rejected}). */
  public static final String ROWS = "paritysync.royalty.pull.rows";

  /** Counter of pages committed; tag source. */
  public static final String PAGES = "paritysync.royalty.pull.pages";

  /** Counter of attempts against the DSP; tags source, retried ({@code true}/{@code false}). */
  public static final String ATTEMPTS = "paritysync.royalty.pull.attempts";

  /** Timer of the delays chosen before retries; tag source; publishes p95. */
  public static final String BACKOFF = "paritysync.royalty.pull.backoff";

  /** Timer from a report's first request to its commit as complete; tag source. */
  public static final String COMPLETION = "paritysync.royalty.pull.completion";

  /** Counter of 200 answers whose body was cut off (retried); tag source. */
  public static final String TRUNCATED = "paritysync.royalty.pull.truncated";

  private final String source;
  private final Clock clock;
  private final MeterRegistry registry;
  private final long started;
  private long pages;
  private long valid;
  private long rejected;
  private long attempts;
  private long retries;
  private long truncated;
  private final List<Duration> backoffs = new ArrayList<>();
  private final Map<String, Duration> completions = new LinkedHashMap<>();

  PullMetrics(String source, Clock clock, MeterRegistry registry) {
    this.source = source;
    this.clock = clock;
    this.registry = registry;
    this.started = clock.nanoTime();
  }

  synchronized void page(long newValid, long newRejected) {
    pages++;
    valid += newValid;
    rejected += newRejected;
    Counter.builder(PAGES)
        .description("DSP report pages committed")
        .tag("source", source)
        .register(registry)
        .increment();
    Counter.builder(ROWS)
        .description("DSP report rows newly staged")
        .tags("source", source, "outcome", "valid")
        .register(registry)
        .increment(newValid);
    Counter.builder(ROWS)
        .description("DSP report rows newly staged")
        .tags("source", source, "outcome", "rejected")
        .register(registry)
        .increment(newRejected);
  }

  synchronized void attempt(AttemptEvent e) {
    attempts++;
    Action.Kind kind = e.action().kind();
    Duration delay =
        kind == Action.Kind.RETRY || kind == Action.Kind.RETRY_AFTER ? e.chosenDelay() : null;
    boolean retried = delay != null;
    Counter.builder(ATTEMPTS)
        .description("Attempts against the DSP")
        .tags("source", source, "retried", Boolean.toString(retried))
        .register(registry)
        .increment();
    if (delay != null) {
      retries++;
      backoffs.add(delay);
      Timer.builder(BACKOFF)
          .description("Delays chosen before retries of DSP requests")
          .tag("source", source)
          .publishPercentiles(0.95)
          .register(registry)
          .record(delay);
    }
  }

  synchronized void truncated() {
    truncated++;
    Counter.builder(TRUNCATED)
        .description("DSP answers whose body was cut off")
        .tag("source", source)
        .register(registry)
        .increment();
  }

  synchronized void completed(String report, Duration delta) {
    completions.put(report, delta);
    Timer.builder(COMPLETION)
        .description("From a report's first request to its commit as complete")
        .tag("source", source)
        .register(registry)
        .record(delta);
  }

  synchronized long retries() {
    return retries;
  }

  /** The numbers so far. */
  public synchronized PullSummary summary() {
    List<Duration> sorted = new ArrayList<>(backoffs);
    Collections.sort(sorted);
    Duration p95 =
        sorted.isEmpty()
            ? Duration.ZERO
            : sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1); // nearest rank
    return new PullSummary(
        pages,
        valid,
        rejected,
        attempts,
        retries,
        truncated,
        p95,
        Duration.ofNanos(clock.nanoTime() - started),
        completions);
  }

  /**
   * The numbers of a run.
   *
   * @param pages pages committed
   * @param validRows rows newly staged as valid
   * @param rejectedRows rows newly staged as dead letters
   * @param attempts HTTP attempts against the DSP (listings and pages)
   * @param retries attempts that were followed by a retry
   * @param truncatedBodies 200 answers whose body was cut off
   * @param backoffP95 the 95th percentile (nearest rank) of the delays chosen before retries
   * @param elapsed since the source was built, on its clock
   * @param completions per report completed in this run, from its first request to its commit
   */
  public record PullSummary(
      long pages,
      long validRows,
      long rejectedRows,
      long attempts,
      long retries,
      long truncatedBodies,
      Duration backoffP95,
      Duration elapsed,
      Map<String, Duration> completions) {

    /** Copies {@code completions}. */
    public PullSummary {
      completions = Collections.unmodifiableMap(new LinkedHashMap<>(completions));
    }

    /** Rows staged (valid and rejected) per second of {@link #elapsed()}; 0 when none elapsed. */
    public double rowsPerSecond() {
      double seconds = elapsed.toNanos() / 1e9;
      return seconds <= 0 ? 0 : (validRows + rejectedRows) / seconds;
    }

    /** Retries per attempt, in percent; 0 without attempts. */
    double retryRatePercent() {
      return attempts == 0 ? 0 : 100.0 * retries / attempts;
    }

    /** Rejected rows per staged row, in percent; 0 without rows. */
    double rejectionRatePercent() {
      long rows = validRows + rejectedRows;
      return rows == 0 ? 0 : 100.0 * rejectedRows / rows;
    }

    /** The longest completion delta, or zero when no report completed. */
    Duration maxCompletion() {
      return completions.values().stream().max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** The summary as printed lines: one per metric. */
    public List<String> lines() {
      List<String> out = new ArrayList<>();
      out.add(
          String.format(
              java.util.Locale.ROOT,
              "rows/s: %.1f (%d rows, %d pages in %.3f s)",
              rowsPerSecond(),
              validRows + rejectedRows,
              pages,
              elapsed.toNanos() / 1e9));
      out.add(
          String.format(
              java.util.Locale.ROOT,
              "retry rate: %.2f%% (%d retries of %d attempts, %d truncated bodies)",
              retryRatePercent(),
              retries,
              attempts,
              truncatedBodies));
      out.add("backoff p95: " + backoffP95.toMillis() + " ms");
      out.add(
          String.format(
              java.util.Locale.ROOT,
              "schema rejection rate: %.2f%% (%d of %d rows)",
              rejectionRatePercent(),
              rejectedRows,
              validRows + rejectedRows));
      completions.forEach(
          (report, d) ->
              out.add(
                  "sync completion delta: "
                      + report
                      + " "
                      + TimeUnit.NANOSECONDS.toMillis(d.toNanos())
                      + " ms (requested → committed)"));
      return out;
    }
  }
}
