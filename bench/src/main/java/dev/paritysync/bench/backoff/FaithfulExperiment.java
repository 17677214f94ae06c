package dev.paritysync.bench.backoff;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Runs {@link FaithfulClosedSystem} for N = 10, 20 … 190 clients and every {@link SleepKind}, and
 * prints two Markdown tables (mean calls, mean completion time) with the ratio ours/original per
 * cell against {@link OriginalMeans}, then every cell more than 3 % from the original with its z
 * score. Single-threaded and seeded: the same seed and runs print the same tables.
 */
final class FaithfulExperiment {
  static final int N_MIN = 10;
  static final int N_MAX = 190;
  static final int N_STEP = 10;
  static final double TOLERANCE = 0.03;
  static final Hops HOPS = Hops.absNormal(10, 2);
  static final SleepKind[] KINDS = {
    SleepKind.EXPONENTIAL,
    SleepKind.DECORR,
    SleepKind.EQUAL_JITTER,
    SleepKind.FULL_JITTER,
    SleepKind.NONE,
    SleepKind.PROPORTIONAL
  };

  private FaithfulExperiment() {}

  /** Mean and standard error of one quantity over runs. */
  static final class Moments {
    private long n;
    private double sum;
    private double sumSq;

    void add(double x) {
      n++;
      sum += x;
      sumSq += x * x;
    }

    double mean() {
      return sum / n;
    }

    double se() {
      if (n < 2) {
        return 0;
      }
      double var = (sumSq - sum * sum / n) / (n - 1);
      return Math.sqrt(Math.max(0, var) / n);
    }
  }

  /** The means of one (N, kind) cell. */
  record Cell(int clients, SleepKind kind, Moments calls, Moments time) {}

  /** Runs the grid: {@code runs} runs per cell, seeds shared by every kind at the same (N, run). */
  static List<Cell> measure(long seed, int runs) {
    List<Cell> cells = new ArrayList<>();
    for (int n = N_MIN; n <= N_MAX; n += N_STEP) {
      for (SleepKind kind : KINDS) {
        Cell cell = new Cell(n, kind, new Moments(), new Moments());
        for (int run = 0; run < runs; run++) {
          FaithfulClosedSystem.Result r =
              FaithfulClosedSystem.run(n, kind, HOPS, BackoffExperiment.seed(seed, n, run));
          cell.calls().add(r.calls());
          cell.time().add(r.completionUnits());
        }
        cells.add(cell);
      }
    }
    return cells;
  }

  /** Measures and prints the tables, with level-4 headings. */
  static void print(long seed, int runs) {
    List<Cell> cells = measure(seed, runs);
    OriginalMeans original = OriginalMeans.load();
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "#### Closed system, four hops per attempt (as aws-arch-backoff-simulator)%n%n"
                + "Hops |N(10, 2)| units; sleep after the n-th lost write min(2000, 5 × 2^n),"
                + " n from 1, jittered per kind; None never sleeps. A call is one write; time is"
                + " when the last client receives its successful write's reply. Means over %d"
                + " runs; \"orig\" is the original's mean (%s), \"÷orig\" ours/original.%n%n",
            runs,
            describe(original)));
    table(sb, "Mean calls (writes by all N clients) per run", cells, original, Quantity.CALLS);
    table(sb, "Mean completion time (units) per run", cells, original, Quantity.TIME);
    outliers(sb, cells, original);
    System.out.print(sb);
  }

  private static String describe(OriginalMeans original) {
    OriginalMeans.Cell any = original.get(N_MIN, SleepKind.NONE);
    return any == null ? "none loaded" : any.runs() + " runs per cell, original-means.csv";
  }

  enum Quantity {
    CALLS("calls", "%.1f", Cell::calls, OriginalMeans.Cell::callsMean, OriginalMeans.Cell::callsSe),
    TIME("time", "%.0f", Cell::time, OriginalMeans.Cell::timeMean, OriginalMeans.Cell::timeSe);

    final String name;
    final String format;
    final Function<Cell, Moments> ours;
    final ToDoubleFunction<OriginalMeans.Cell> originalMean;
    final ToDoubleFunction<OriginalMeans.Cell> originalSe;

    Quantity(
        String name,
        String format,
        Function<Cell, Moments> ours,
        ToDoubleFunction<OriginalMeans.Cell> originalMean,
        ToDoubleFunction<OriginalMeans.Cell> originalSe) {
      this.name = name;
      this.format = format;
      this.ours = ours;
      this.originalMean = originalMean;
      this.originalSe = originalSe;
    }
  }

  private static void table(
      StringBuilder sb, String title, List<Cell> cells, OriginalMeans original, Quantity q) {
    sb.append("##### ").append(title).append("\n\n| N |");
    for (SleepKind k : KINDS) {
      sb.append(' ').append(k.label()).append(k.inOriginal() ? "" : " (ours)").append(" |");
    }
    int compared = 0;
    for (SleepKind k : KINDS) {
      if (k.inOriginal()) {
        sb.append(' ').append(k.label()).append(" ÷orig |");
        compared++;
      }
    }
    sb.append("\n|---:|").append("---:|".repeat(KINDS.length + compared)).append('\n');
    for (int i = 0; i < cells.size(); i += KINDS.length) {
      sb.append("| ").append(cells.get(i).clients()).append(" |");
      for (int k = 0; k < KINDS.length; k++) {
        double mean = q.ours.apply(cells.get(i + k)).mean();
        sb.append(' ').append(String.format(Locale.ROOT, q.format, mean)).append(" |");
      }
      for (int k = 0; k < KINDS.length; k++) {
        Cell c = cells.get(i + k);
        if (c.kind().inOriginal()) {
          OriginalMeans.Cell o = original.get(c.clients(), c.kind());
          sb.append(
              o == null
                  ? " – |"
                  : String.format(
                      Locale.ROOT,
                      " %.3f |",
                      q.ours.apply(c).mean() / q.originalMean.applyAsDouble(o)));
        }
      }
      sb.append('\n');
    }
    sb.append('\n');
  }

  /**
   * Lists every cell more than {@link #TOLERANCE} from the original, with z = (ours - original) /
   * sqrt(se_ours² + se_original²): |z| under 2 means the two means agree within their noise.
   */
  private static void outliers(StringBuilder sb, List<Cell> cells, OriginalMeans original) {
    StringBuilder rows = new StringBuilder();
    int compared = 0;
    int within = 0;
    int noise = 0;
    for (Quantity q : Quantity.values()) {
      for (Cell c : cells) {
        OriginalMeans.Cell o = c.kind().inOriginal() ? original.get(c.clients(), c.kind()) : null;
        if (o == null) {
          continue;
        }
        compared++;
        Moments m = q.ours.apply(c);
        double ref = q.originalMean.applyAsDouble(o);
        double ratio = m.mean() / ref;
        if (Math.abs(ratio - 1) <= TOLERANCE) {
          within++;
          continue;
        }
        double z = (m.mean() - ref) / Math.hypot(m.se(), q.originalSe.applyAsDouble(o));
        if (Math.abs(z) < 2) {
          noise++;
        }
        rows.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %s | "
                    + q.format
                    + " ± %.0f | "
                    + q.format
                    + " ± %.0f | %.3f | %.1f |%n",
                q.name,
                c.clients(),
                c.kind().label(),
                m.mean(),
                m.se(),
                ref,
                q.originalSe.applyAsDouble(o),
                ratio,
                z));
      }
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "##### Cells more than %.0f %% from the original%n%n"
                + "%d of %d compared cells are within %.0f %%; of the other %d, %d have |z| < 2"
                + " (z = difference ÷ its standard error; ± is one standard error).%n%n",
            TOLERANCE * 100,
            within,
            compared,
            TOLERANCE * 100,
            compared - within,
            noise));
    if (rows.length() > 0) {
      sb.append("| table | N | kind | ours | original | ÷orig | z |\n");
      sb.append("|---|---:|---|---:|---:|---:|---:|\n");
      sb.append(rows).append('\n');
    }
  }
}
