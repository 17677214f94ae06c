package dev.paritysync.royalty.functional;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.royalty.Deliveries;
import dev.paritysync.royalty.FileIngest;
import dev.paritysync.royalty.IngestedDelivery;
import dev.paritysync.royalty.RunMetrics;
import dev.paritysync.royalty.SourceConfig;
import dev.paritysync.royalty.dsp.DspSource;
import dev.paritysync.royalty.dsp.ReportManifest;
import dev.paritysync.royalty.lake.Lake;
import dev.paritysync.royalty.parse.Strictness;
import dev.paritysync.sim.SimDsp;
import dev.paritysync.sim.SimDspConfig;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One report, one set of rows, whatever the route: a report pulled from a real {@link SimDsp} over
 * loopback and the same report uploaded as the DSP's file export ({@code <report id>.csv}, written
 * from the DSP's own rows), in either order, end with one copy in a real DuckDB lake, and the
 * second arrival says whose rows it replaced.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ApiAndFileTest {
  private static final YearMonth PERIOD = YearMonth.of(2026, 3);
  private static final List<String> FIELDS =
      List.of(
          "periodStart",
          "periodEnd",
          "territory",
          "isrc",
          "upc",
          "title",
          "artist",
          "commercialModel",
          "useType",
          "quantity",
          "amount",
          "currency",
          "saleType");
  private static final SourceConfig API = SourceConfig.defaults("simdsp", SourceConfig.Format.JSON);

  @TempDir Path dir;
  private final VirtualTime time = new VirtualTime();
  private SimDsp dsp;
  private Database db;
  private Lake lake;
  private Transport transport;
  private DspSource pull;
  private FileIngest files;

  @BeforeEach
  void open() {
    dsp =
        SimDsp.start(
            SimDspConfig.healthy(3).toBuilder()
                .withRowsPerReport(300)
                .withReportsPerPeriod(1)
                .withInvalidRate(0.05)
                .build(),
            time);
    db =
        Database.open(
            DatabaseConfig.builder()
                .withSqliteFile(dir.resolve("store.db"))
                .withMigrations(Deliveries.MIGRATIONS)
                .build());
    lake = Lake.open(dir.resolve("lake"));
    transport =
        Transport.builder().withClock(time).withRequestTimeout(Duration.ofSeconds(5)).build();
    pull =
        DspSource.builder(dsp.baseUri(), API)
            .withDatabase(db)
            .withTransport(transport)
            .withScheduler(time)
            .withRandom(new SplittableRandom(1))
            .withPageSize(100)
            .withSink((source, report, rows) -> lake.replaceReport(source, report.id(), rows))
            .build();
    files = new FileIngest(db, lake, time, new RunMetrics(new SimpleMeterRegistry()));
  }

  @AfterEach
  void close() {
    transport.close();
    lake.close();
    db.close();
    dsp.close();
  }

  /** The same source read from the DSP's CSV file export: its columns are the JSON's names. */
  private static SourceConfig fileExport() {
    Map<String, Object> columns = new LinkedHashMap<>();
    columns.put("period", null);
    columns.put("commercialModel", "commercialModel");
    FIELDS.forEach(f -> columns.put(f, f));
    return SourceConfig.fromMap("simdsp", Map.of("format", "csv", "columns", columns));
  }

  /** Writes the DSP's rows of {@code report}, fetched over loopback, as {@code <id>.csv}. */
  private Path export(ReportManifest report) throws IOException, InterruptedException {
    Path file = dir.resolve(report.id() + ".csv");
    ObjectMapper json = new ObjectMapper();
    HttpClient http = HttpClient.newHttpClient();
    try (Writer out = Files.newBufferedWriter(file)) {
      out.write(String.join(",", FIELDS) + "\n");
      String cursor = null;
      do {
        URI uri =
            dsp.baseUri()
                .resolve(
                    "/v1/reports/"
                        + report.id()
                        + "/rows?limit=1000"
                        + (cursor == null ? "" : "&cursor=" + cursor));
        HttpResponse<String> page =
            http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = json.readTree(page.body());
        for (JsonNode row : body.get("rows")) {
          out.write(
              String.join(",", FIELDS.stream().map(f -> csvCell(row.path(f).asText())).toList())
                  + "\n");
        }
        cursor = body.get("nextCursor").isNull() ? null : body.get("nextCursor").asText();
      } while (cursor != null);
    }
    return file;
  }

  private static String csvCell(String v) {
    return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
  }

  private ReportManifest report() throws Exception {
    return drive(() -> pull.list(PERIOD).get(0));
  }

  /** Runs {@code work} on another thread, jumping virtual time whenever nothing is on the wire. */
  private <T> T drive(Callable<T> work) throws Exception {
    ExecutorService puller = Executors.newSingleThreadExecutor();
    try {
      Future<T> f = puller.submit(work);
      while (true) {
        if (pull.inFlight() == 0) {
          time.advanceToNext();
        }
        try {
          return f.get(1, TimeUnit.MILLISECONDS); // waits for real I/O, not for time to pass
        } catch (TimeoutException e) {
          // go on driving
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception ex ? ex : e;
        }
      }
    } finally {
      puller.shutdownNow();
    }
  }

  private long lakeRows() {
    return lake.count("simdsp");
  }

  private long openDeadLetters() {
    return db.read(
        c -> {
          try (var rs =
              c.createStatement()
                  .executeQuery(
                      "SELECT count(*) FROM queue_items WHERE queue = 'dead_letter'"
                          + " AND state = 'open' AND channel = 'simdsp'")) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  private List<IngestedDelivery> deliveries() {
    return db.read(c -> new Deliveries(time).list(c, "simdsp"));
  }

  @Test
  void apiPullThenFileUploadEndsWithOneCopy() throws Exception {
    ReportManifest report = report();
    drive(() -> pull.pull(report));
    long valid = lakeRows();
    long dead = openDeadLetters();
    assertThat(valid).isPositive();
    assertThat(dead).isPositive();

    FileIngest.Outcome outcome =
        files.ingest(export(report), fileExport(), Strictness.LENIENT, false, w -> {}, p -> {});

    FileIngest.Ingested done = (FileIngest.Ingested) outcome;
    assertThat(done.summary().valid()).isEqualTo(valid);
    assertThat(done.replaced())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.route()).isEqualTo("api");
              assertThat(d.report()).isEqualTo(report.id());
            });
    assertThat(lakeRows()).as("replaced, not added").isEqualTo(valid);
    assertThat(openDeadLetters()).isEqualTo(dead);
    assertThat(deliveries())
        .extracting(IngestedDelivery::reportId, IngestedDelivery::route, IngestedDelivery::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(report.id(), "api", "replaced"),
            org.assertj.core.groups.Tuple.tuple(report.id(), "file", "complete"));
  }

  @Test
  void fileUploadThenApiPullEndsWithOneCopy() throws Exception {
    ReportManifest report = report();
    FileIngest.Ingested uploaded =
        (FileIngest.Ingested)
            files.ingest(export(report), fileExport(), Strictness.LENIENT, false, w -> {}, p -> {});
    long valid = lakeRows();
    long dead = openDeadLetters();
    assertThat(uploaded.delivery().reportId()).isEqualTo(report.id());
    assertThat(uploaded.delivery().period()).isEqualTo("2026-03");

    DspSource.PullResult result = drive(() -> pull.pull(report));

    assertThat(result.replaced())
        .extracting(IngestedDelivery::report)
        .containsExactly(report.id() + ".csv");
    assertThat(lakeRows()).as("replaced, not added").isEqualTo(valid);
    assertThat(openDeadLetters()).as("the file's dead letters are superseded").isEqualTo(dead);
    assertThat(deliveries())
        .extracting(IngestedDelivery::route, IngestedDelivery::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("file", "replaced"),
            org.assertj.core.groups.Tuple.tuple("api", "complete"));
  }
}
