package dev.paritysync.royalty.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.http.Transport;
import dev.paritysync.core.quota.QuotaLimit;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.royalty.SalesRow;
import dev.paritysync.royalty.SourceConfig;
import dev.paritysync.sim.SimDsp;
import dev.paritysync.sim.SimDspConfig;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DspSource} against a real {@link SimDsp} over loopback, on virtual time: the DSP's quota
 * and the client's backoff both run on it, so a run with many retries takes no real waiting.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DspSourceTest {
  private static final YearMonth PERIOD = YearMonth.of(2026, 3);
  private static final SourceConfig SOURCE =
      SourceConfig.defaults("simdsp", SourceConfig.Format.JSON);

  @TempDir Path dir;

  private final VirtualTime time = new VirtualTime();
  private final ExecutorService puller = Executors.newSingleThreadExecutor();
  private SimDsp dsp;
  private Database db;
  private Transport transport;

  @BeforeEach
  void open() {
    db =
        Database.open(
            DatabaseConfig.builder()
                .withSqliteFile(dir.resolve("store.db"))
                .withMigrations(DspSource.MIGRATIONS)
                .build());
    transport =
        Transport.builder().withClock(time).withRequestTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void close() {
    puller.shutdownNow();
    transport.close();
    db.close();
    if (dsp != null) {
      dsp.close();
    }
  }

  private DspSource.Builder source() {
    return DspSource.builder(dsp.baseUri(), SOURCE)
        .withDatabase(db)
        .withTransport(transport)
        .withScheduler(time)
        .withRandom(new SplittableRandom(5))
        .withPageSize(100);
  }

  /** Runs {@code work} on another thread, jumping virtual time whenever nothing is on the wire. */
  private <T> T drive(DspSource source, Callable<T> work) throws Exception {
    CompletableFuture<T> f =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return work.call();
              } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
              }
            },
            puller);
    while (true) {
      if (source.inFlight() == 0) {
        time.advanceToNext();
      }
      try {
        return f.get(1, TimeUnit.MILLISECONDS); // waits for real I/O, not for time to pass
      } catch (TimeoutException e) {
        // go on driving
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        while (cause instanceof java.util.concurrent.CompletionException
            && cause.getCause() != null) {
          cause = cause.getCause();
        }
        if (cause instanceof Exception ex) {
          throw ex;
        }
        throw e;
      }
    }
  }

  private long count(String sql, Object... args) {
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
              ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  @Test
  void everyReportArrivesExactlyOnceUnderFaultsAndMatchesItsChecksum() throws Exception {
    dsp =
        SimDsp.start(
            SimDspConfig.flaky(42).toBuilder()
                .withRowsPerReport(1_250)
                .withReportsPerPeriod(3)
                .withInvalidRate(0.05)
                .withPTruncate(0.1)
                .build(),
            time);
    Map<String, List<Long>> published = new ConcurrentHashMap<>();
    DspSource source =
        source()
            .withSink(
                (src, report, rows) -> {
                  List<Long> numbers = new ArrayList<>();
                  rows.forEachRemaining(r -> numbers.add(r.rowNumber()));
                  published.put(report.id(), numbers);
                })
            .build();

    List<ReportManifest> reports = drive(source, () -> source.list(PERIOD));
    assertThat(reports).hasSize(3);
    for (ReportManifest r : reports) {
      DspSource.PullResult result = drive(source, () -> source.pull(r));
      assertThat(result.complete()).isTrue();
      assertThat(result.stagedRows()).isEqualTo(r.rows());
    }

    for (ReportManifest r : reports) {
      long staged = count("SELECT COUNT(*) FROM royalty_rows WHERE report = ?", r.id());
      long distinct =
          count("SELECT COUNT(DISTINCT row_number) FROM royalty_rows WHERE report = ?", r.id());
      long dead = count("SELECT COUNT(*) FROM royalty_rows WHERE report = ? AND valid = 0", r.id());
      long letters =
          count(
              "SELECT COUNT(*) FROM queue_items WHERE queue = 'dead_letter' AND correlation_id = ?",
              r.id());
      assertThat(staged).as("rows of %s", r.id()).isEqualTo(r.rows()).isEqualTo(distinct);
      assertThat(count("SELECT MIN(row_number) FROM royalty_rows WHERE report = ?", r.id()))
          .isEqualTo(1);
      assertThat(count("SELECT MAX(row_number) FROM royalty_rows WHERE report = ?", r.id()))
          .isEqualTo(r.rows());
      assertThat(dead).isPositive();
      assertThat(letters).as("one dead letter per invalid row").isEqualTo(dead);
      assertThat(published.get(r.id())).hasSize((int) (r.rows() - dead)).isSorted();
      assertThat(
              count(
                  "SELECT COUNT(*) FROM royalty_reports WHERE report = ? AND state = 'complete'",
                  r.id()))
          .isEqualTo(1);
    }
    assertThat(dsp.truncatedBodies()).as("truncated pages were served").isPositive();
    assertThat(dsp.throttled()).isPositive();
    PullMetrics.PullSummary summary = source.metrics().summary();
    summary.lines().forEach(l -> System.out.println("DspSourceTest: " + l));
    assertThat(summary.retries()).isPositive();
    assertThat(summary.truncatedBodies()).isEqualTo(dsp.truncatedBodies());
    assertThat(summary.backoffP95()).isPositive();
    assertThat(summary.rejectionRatePercent()).isBetween(2.0, 9.0);
    assertThat(summary.completions()).hasSize(3);
    assertThat(summary.lines()).anyMatch(l -> l.startsWith("schema rejection rate: "));
  }

  @Test
  void aTruncatedPageIsRetriedAndNeverHalfCommitted() throws Exception {
    dsp =
        SimDsp.start(
            SimDspConfig.newBuilder()
                .withSeed(9)
                .withRowsPerReport(1_000)
                .withReportsPerPeriod(1)
                .withPTruncate(0.4)
                .build(),
            time);
    List<Long> stagedAfterEachPage = new ArrayList<>();
    DspSource source = source().onPage(p -> stagedAfterEachPage.add(p.staged())).build();
    ReportManifest report = drive(source, () -> source.list(PERIOD)).get(0);
    drive(source, () -> source.pull(report));

    assertThat(dsp.truncatedBodies()).isGreaterThanOrEqualTo(3);
    // every commit added one whole page: 100, 200, ..., 1000
    List<Long> whole = new ArrayList<>();
    for (long n = 100; n <= 1_000; n += 100) {
      whole.add(n);
    }
    assertThat(stagedAfterEachPage).isEqualTo(whole);
    assertThat(count("SELECT COUNT(*) FROM royalty_rows")).isEqualTo(1_000);
  }

  @Test
  void aPullStoppedAfterACommitResumesAtTheCheckpointAndAReplayedPageAddsNothing()
      throws Exception {
    dsp =
        SimDsp.start(
            SimDspConfig.newBuilder()
                .withSeed(3)
                .withRowsPerReport(950)
                .withReportsPerPeriod(1)
                .withInvalidRate(0.1)
                .build(),
            time);
    DspSource crashing =
        source()
            .onPage(
                p -> {
                  if (p.pages() == 4) {
                    throw new IllegalStateException("crash after page 4");
                  }
                })
            .build();
    ReportManifest report = drive(crashing, () -> crashing.list(PERIOD)).get(0);
    assertThatThrownBy(() -> drive(crashing, () -> crashing.pull(report)))
        .hasMessage("crash after page 4");
    assertThat(count("SELECT COUNT(*) FROM royalty_rows")).isEqualTo(400);
    long pagesBefore = dsp.pagesServed();

    DspSource resumed = source().build();
    drive(resumed, () -> resumed.pull(report));
    assertThat(dsp.pagesServed() - pagesBefore).as("pages fetched after the restart").isEqualTo(6);
    long dead = count("SELECT COUNT(*) FROM royalty_rows WHERE valid = 0");
    assertThat(count("SELECT COUNT(*) FROM royalty_rows")).isEqualTo(950);

    // Replay every page, as a crash between fetch and commit would: nothing is added.
    db.inTransaction(
        c -> {
          c.createStatement()
              .executeUpdate(
                  "UPDATE royalty_reports SET next_cursor = NULL, last_page = 0, pages = 0,"
                      + " state = 'pulling'");
          return null;
        });
    DspSource replay = source().build();
    drive(replay, () -> replay.pull(report));
    assertThat(count("SELECT COUNT(*) FROM royalty_rows")).isEqualTo(950);
    assertThat(count("SELECT COUNT(*) FROM queue_items WHERE queue = 'dead_letter'"))
        .isEqualTo(dead);
    assertThat(replay.metrics().summary().validRows()).isZero();
  }

  @Test
  void aMismatchNamesBothCountsAndBothChecksums() throws Exception {
    dsp =
        SimDsp.start(
            SimDspConfig.newBuilder().withRowsPerReport(150).withReportsPerPeriod(1).build(), time);
    DspSource source = source().build();
    ReportManifest real = drive(source, () -> source.list(PERIOD)).get(0);
    String wrong = "0".repeat(64);
    ReportManifest lying = new ReportManifest("rpt-2026-03-1", PERIOD, 150, wrong);
    // a fresh store, so the lying manifest is the first one registered
    db.inTransaction(
        c -> {
          c.createStatement().executeUpdate("DELETE FROM royalty_reports");
          return null;
        });
    assertThatThrownBy(() -> drive(source, () -> source.pull(lying)))
        .isInstanceOf(ReportMismatchException.class)
        .hasMessage(
            "report rpt-2026-03-1 of source simdsp does not match its manifest: staged 150 rows"
                + " with checksum "
                + real.checksum()
                + ", manifest 150 rows with checksum "
                + wrong);
    assertThat(count("SELECT COUNT(*) FROM royalty_reports WHERE state = 'mismatch'")).isEqualTo(1);
    assertThatThrownBy(() -> drive(source, () -> source.pull(real)))
        .isInstanceOf(ReportMismatchException.class)
        .hasMessageContaining("was re-issued: staged against rows=150 checksum=" + wrong)
        .hasMessageContaining("the DSP now lists rows=150 checksum=" + real.checksum());
  }

  @Test
  void aReportTheDspDoesNotKnowFailsNamingThePage() throws Exception {
    dsp = SimDsp.start(SimDspConfig.healthy(1), time);
    DspSource source = source().build();
    ReportManifest ghost = new ReportManifest("rpt-2026-03-99", PERIOD, 10, "a".repeat(64));
    assertThatThrownBy(() -> drive(source, () -> source.pull(ghost)))
        .isInstanceOf(DspPullException.class)
        .hasMessageStartingWith("page 1 of report rpt-2026-03-99 from " + dsp.baseUri())
        .hasMessageContaining("404");
  }

  @Test
  void completeReportsAreNotPulledAgain() throws Exception {
    dsp =
        SimDsp.start(
            SimDspConfig.newBuilder().withRowsPerReport(120).withReportsPerPeriod(1).build(), time);
    List<String> sunk = new ArrayList<>();
    DspSource source = source().withSink((s, r, rows) -> sunk.add(r.id())).build();
    ReportManifest report = drive(source, () -> source.list(PERIOD)).get(0);
    drive(source, () -> source.pull(report));
    long served = dsp.pagesServed();
    DspSource.PullResult again = drive(source, () -> source.pull(report));
    assertThat(again.alreadyComplete()).isTrue();
    assertThat(dsp.pagesServed()).isEqualTo(served);
    assertThat(sunk).containsExactly("rpt-2026-03-1");
  }

  @Test
  void builderNamesWhatIsMissingOrWrong() {
    dsp = SimDsp.start(SimDspConfig.healthy(1), time);
    assertThatThrownBy(() -> DspSource.builder(dsp.baseUri(), SOURCE).build())
        .hasMessage("withDatabase(...) is required");
    assertThatThrownBy(
            () ->
                DspSource.builder(
                        dsp.baseUri(), SourceConfig.defaults("x", SourceConfig.Format.CSV))
                    .withDatabase(db)
                    .withTransport(transport)
                    .withScheduler(time)
                    .build())
        .hasMessage("source x: a DSP source needs format json, not CSV");
    assertThatThrownBy(() -> DspSource.builder(java.net.URI.create("ftp://127.0.0.1/"), SOURCE))
        .hasMessage("--dsp: 'ftp://127.0.0.1/' is not an http(s) URL");
  }

  @Test
  void salesRowsCarryTheValidatedValues() throws Exception {
    dsp =
        SimDsp.start(
            SimDspConfig.newBuilder()
                .withRowsPerReport(300)
                .withReportsPerPeriod(1)
                .withInvalidRate(0)
                .build(),
            time);
    List<SalesRow> rows = new ArrayList<>();
    DspSource source = source().withSink((s, r, it) -> it.forEachRemaining(rows::add)).build();
    ReportManifest report = drive(source, () -> source.list(PERIOD)).get(0);
    drive(source, () -> source.pull(report));
    assertThat(rows).hasSize(300);
    assertThat(rows).allMatch(r -> r.partitionMonth().equals(PERIOD) && r.isrc().length() == 12);
    assertThat(rows).anyMatch(r -> r.territory().equals("Worldwide"));
    assertThat(rows).anyMatch(r -> r.upc() == null);
    assertThat(rows).anyMatch(r -> r.amount().signum() < 0 && r.saleType().allowsNegative());
    assertThat(rows).anyMatch(r -> r.normalisations().contains("isrc: removed hyphens"));
  }

  @Test
  void aClientQuotaKeepsRequestsWithinTheDspsSoNoneIsThrottled() throws Exception {
    dsp =
        SimDsp.start(
            SimDspConfig.newBuilder()
                .withRowsPerReport(2_000)
                .withReportsPerPeriod(1)
                .withQuota("5/1s")
                .build(),
            time);
    DspSource source =
        source()
            .withPolicy(
                DspSource.defaultPolicy("simdsp").toBuilder()
                    .withQuota(DspSource.ENDPOINT, List.of(QuotaLimit.parse("5/1s")))
                    .build())
            .build();
    ReportManifest report = drive(source, () -> source.list(PERIOD)).get(0);
    java.time.Instant start = time.instant();
    drive(source, () -> source.pull(report));
    assertThat(dsp.throttled()).isZero();
    assertThat(count("SELECT COUNT(*) FROM royalty_rows")).isEqualTo(2_000);
    // 20 pages at 5 per second, after the listing took the first token of the window
    assertThat(Duration.between(start, time.instant()))
        .isBetween(Duration.ofSeconds(3), Duration.ofSeconds(5));
  }
}
