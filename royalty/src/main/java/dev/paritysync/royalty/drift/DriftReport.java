package dev.paritysync.royalty.drift;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Checks one period of the lake against the catalog and the trailing periods with the {@link Rule}s
 * (as DuckDB SQL over the Parquet files, in an in-memory DuckDB per run) and writes the findings as
 * {@code drift-<period>.json} and/or {@code drift-<period>.csv}, streaming: each finding is written
 * as it arrives. The JSON file is one object with {@code period}, {@code config}, {@code findings},
 * {@code counts}, {@code rowsChecked} and {@code notJudged}; the CSV file has one row per finding
 * with the columns {@link #CSV_HEADER}. Thread-safe (stateless).
 */
public final class DriftReport {
  /** Report file formats. */
  public enum Format {
    /** {@code drift-<period>.json}. */
    JSON,
    /** {@code drift-<period>.csv}. */
    CSV;

    /** The format named {@code name} ({@code json} or {@code csv}, case ignored). */
    public static Format of(String name) {
      try {
        return valueOf(name.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--format: '" + name + "' is not a report format (json, csv)", e);
      }
    }
  }

  /** The CSV columns. */
  public static final List<String> CSV_HEADER =
      List.of(
          "rule",
          "source",
          "period",
          "territory",
          "commercial_model",
          "isrc",
          "upc",
          "observed",
          "expected",
          "rows",
          "quantity",
          "amount");

  private static final ObjectMapper JSON = new ObjectMapper();

  private DriftReport() {}

  /**
   * What {@link #write} produced.
   *
   * @param summary counts per rule, groups not judged, top findings
   * @param files the report files written, in the order of the formats
   */
  public record Written(DriftSummary summary, List<Path> files) {
    /** Copies the list. */
    public Written {
      files = List.copyOf(files);
    }
  }

  /**
   * Checks {@code period} of {@code lake} and writes the reports into {@code outDir} (created when
   * missing), replacing earlier reports of the period.
   *
   * @throws LakeException when the lake has no sales Parquet files or no catalog, or DuckDB fails
   * @throws UncheckedIOException when a report file cannot be written
   */
  public static Written write(
      Path lake, YearMonth period, DriftConfig config, Path outDir, Set<Format> formats) {
    return write(lake, period, config, outDir, formats, status -> {});
  }

  /**
   * As {@link #write(Path, YearMonth, DriftConfig, Path, Set)}, telling {@code progress} what the
   * check is doing as it goes: each step before it starts (DuckDB gives no progress of its own),
   * and the count of findings every 1,000 while they stream.
   */
  public static Written write(
      Path lake,
      YearMonth period,
      DriftConfig config,
      Path outDir,
      Set<Format> formats,
      Consumer<String> progress) {
    DriftLake.requireReadable(
        lake); // before any file exists: a failed check leaves no report behind
    List<Path> files = new ArrayList<>();
    JsonGenerator json = null;
    BufferedWriter csv = null;
    boolean done = false;
    try {
      Files.createDirectories(outDir);
      if (formats.contains(Format.JSON)) {
        Path file = outDir.resolve("drift-" + period + ".json");
        files.add(file);
        json =
            new JsonFactory(JSON)
                .createGenerator(file.toFile(), JsonEncoding.UTF8)
                .useDefaultPrettyPrinter();
        json.writeStartObject();
        json.writeStringField("period", period.toString());
        json.writeStringField("lake", lake.toString());
        json.writeObjectField("config", config.toMap());
        json.writeArrayFieldStart("findings");
      }
      if (formats.contains(Format.CSV)) {
        Path file = outDir.resolve("drift-" + period + ".csv");
        files.add(file);
        csv = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        csv.write(String.join(",", CSV_HEADER));
        csv.write("\n");
      }
      JsonGenerator j = json;
      BufferedWriter w = csv;
      Consumer<Finding> sink =
          f -> {
            try {
              if (j != null) {
                writeJson(j, f);
              }
              if (w != null) {
                writeCsv(w, f);
              }
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          };
      DriftSummary summary = DriftCheck.run(lake, period, config, sink, progress);
      if (json != null) {
        json.writeEndArray();
        json.writeObjectFieldStart("counts");
        for (var e : summary.counts().entrySet()) {
          json.writeNumberField(e.getKey().id(), e.getValue());
        }
        json.writeEndObject();
        json.writeNumberField("rowsChecked", summary.rowsChecked());
        json.writeArrayFieldStart("notJudged");
        for (NotJudged n : summary.notJudged()) {
          json.writeObject(n);
        }
        json.writeEndArray();
        json.writeEndObject();
        json.close();
        json = null;
      }
      if (csv != null) {
        csv.close();
        csv = null;
      }
      done = true;
      return new Written(summary, files);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the drift report in " + outDir, e);
    } finally {
      closeQuietly(json);
      closeQuietly(csv);
      if (!done) {
        files.forEach(DriftReport::deleteQuietly);
      }
    }
  }

  private static void writeJson(JsonGenerator j, Finding f) throws IOException {
    j.writeStartObject();
    j.writeStringField("rule", f.rule().id());
    j.writeStringField("source", f.source());
    j.writeStringField("period", f.period().toString());
    j.writeStringField("territory", f.territory());
    j.writeStringField("commercialModel", f.commercialModel());
    j.writeStringField("isrc", f.isrc());
    j.writeStringField("upc", f.upc());
    j.writeStringField("observed", f.observed());
    j.writeStringField("expected", f.expected());
    j.writeNumberField("rows", f.rows());
    j.writeNumberField("quantity", f.quantity());
    j.writeNumberField("amount", f.amount());
    j.writeEndObject();
  }

  private static void writeCsv(BufferedWriter w, Finding f) throws IOException {
    String[] cells = {
      f.rule().id(),
      f.source(),
      f.period().toString(),
      f.territory(),
      f.commercialModel(),
      f.isrc(),
      f.upc(),
      f.observed(),
      f.expected(),
      Long.toString(f.rows()),
      Long.toString(f.quantity()),
      f.amount().toPlainString()
    };
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        w.write(',');
      }
      w.write(csvCell(cells[i]));
    }
    w.write('\n');
  }

  /** RFC 4180: quoted when the value holds a comma, quote or line break. */
  static String csvCell(String value) {
    if (value == null) {
      return "";
    }
    if (value.indexOf(',') < 0
        && value.indexOf('"') < 0
        && value.indexOf('\n') < 0
        && value.indexOf('\r') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // the failure that got us here is the one reported
    }
  }

  private static void closeQuietly(@Nullable AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception e) {
        // the report is already incomplete; the first error is the one reported
      }
    }
  }
}
