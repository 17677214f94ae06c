package dev.paritysync.bench.backoff;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The reference means of aws-arch-backoff-simulator per (N, kind), read from {@code
 * original-means.csv} beside this class. The original publishes no table of numbers (its README has
 * none, the blog post only plots), so these are its own output: its classes and functions,
 * unmodified, run once in its own loop under Python 2.7 beside the project (docs/benchmarks.md says
 * how; nothing of the original is in this repository). Each cell carries the per-run standard
 * deviation, so a difference can be weighed against the noise of both means.
 */
final class OriginalMeans {
  static final String RESOURCE = "original-means.csv";

  /** One cell: means and per-run standard deviations over {@code runs} runs. */
  record Cell(int runs, double timeMean, double timeSd, double callsMean, double callsSd) {
    double timeSe() {
      return timeSd / Math.sqrt(runs);
    }

    double callsSe() {
      return callsSd / Math.sqrt(runs);
    }
  }

  private final Map<String, Cell> cells;

  private OriginalMeans(Map<String, Cell> cells) {
    this.cells = cells;
  }

  /** The cell for {@code clients} and {@code kind}, or null when the original has none. */
  @Nullable Cell get(int clients, SleepKind kind) {
    return cells.get(key(clients, kind.label()));
  }

  int size() {
    return cells.size();
  }

  static OriginalMeans load() {
    try (InputStream in = OriginalMeans.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + RESOURCE + " is missing from the classpath");
      }
      return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses lines {@code clients,algorithm,runs,time_mean,time_sd,calls_mean,calls_sd}. */
  static OriginalMeans parse(BufferedReader reader) throws IOException {
    Map<String, Cell> cells = new HashMap<>();
    String line;
    int number = 0;
    while ((line = reader.readLine()) != null) {
      number++;
      if (line.isBlank() || line.startsWith("#") || line.startsWith("clients,")) {
        continue;
      }
      String[] f = line.split(",");
      if (f.length != 7) {
        throw new IllegalArgumentException(
            RESOURCE + " line " + number + ": expected 7 fields, found " + f.length + ": " + line);
      }
      cells.put(
          key(Integer.parseInt(f[0]), f[1]),
          new Cell(
              Integer.parseInt(f[2]),
              Double.parseDouble(f[3]),
              Double.parseDouble(f[4]),
              Double.parseDouble(f[5]),
              Double.parseDouble(f[6])));
    }
    return new OriginalMeans(cells);
  }

  private static String key(int clients, String algorithm) {
    return clients + "," + algorithm;
  }
}
