package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.breaker.BreakerState;
import dev.paritysync.hotel.reconcile.DriftClass;
import dev.paritysync.hotel.reconcile.Reconciler;
import dev.paritysync.hotel.reconcile.ReconciliationReport;
import dev.paritysync.hotel.reconcile.ResumeVerifier;
import dev.paritysync.hotel.reconcile.Thresholds;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.SimConfig;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Verify before resume against a real native-dialect sim on virtual time: after a long outage the
 * affected dates are reconciled (and drift the channel picked up meanwhile corrected) before any
 * push is claimed; after a short one nothing is scanned; a channel that cannot be read resumes
 * unverified, with the reason in the ledger.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class VerifyBeforeResumeTest extends ChannelEngineTestBase {
  @Parameter Backend backend;

  @Override
  Backend backend() {
    return backend;
  }

  private static final String CH = "nx";
  private static final Duration THRESHOLD = Duration.ofMinutes(2);

  private final List<ReconciliationReport> reports = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<String>> checks = new CopyOnWriteArrayList<>();

  /** Opens after two failures in a row, probes once after 30 s; retries outlast the outage. */
  private static final Map<String, Object> RESILIENCE =
      Map.of(
          "resilience",
          Map.of(
              "circuitBreaker", Map.of("consecutiveFailures", 2, "open", "30s", "halfOpenCalls", 1),
              "backoff", Map.of("maxRetries", 100)));

  /** DBL/BAR rates and SGL availability on days 1–10, at parity, verify before resume on. */
  private void startAtParity(String adapter, long seed) {
    start(CH, adapter, SimConfig.healthy(seed), RESILIENCE);
    List<dev.paritysync.hotel.ari.Change> changes = new ArrayList<>();
    for (int d = 1; d <= 10; d++) {
      changes.add(rate(d, "120.00"));
    }
    changes.add(availability("SGL", 1, 10, 5));
    engine.ingest().accept(changes);
    runFor(Duration.ofSeconds(5));
    assertThat(engine.status().get(CH).settled()).isTrue();
    Reconciler reconciler =
        Reconciler.builder()
            .withEngine(engine)
            .withDatabase(db)
            .withClock(time)
            .withThresholds(new Thresholds(5, 100))
            .build();
    ResumeVerifier verifier = new ResumeVerifier(reconciler, reports::add);
    // The verification starts 30 s late, as a read waiting for its quota would: time in which
    // pushes would go out, were they not held.
    engine.verifyBeforeResume(
        THRESHOLD,
        (channel, affected) -> {
          CompletableFuture<String> f = new CompletableFuture<>();
          checks.add(f);
          time.schedule(
              Duration.ofSeconds(30),
              () -> verifier.verify(channel, affected).whenComplete((r, e) -> complete(f, r, e)));
          return f;
        });
  }

  private static void complete(CompletableFuture<String> f, String result, Throwable failure) {
    if (failure == null) {
      f.complete(result);
    } else {
      f.completeExceptionally(failure);
    }
  }

  /**
   * Advances virtual time second by second; while a verification's reads are out on the loopback
   * wire (real time), waits for them as a reconciliation test's await does.
   */
  private void runAndVerify(Duration d) throws Exception {
    for (long s = 0; s < d.toSeconds(); s++) {
      time.advance(Duration.ofSeconds(1));
      for (CompletableFuture<String> f : checks) {
        try {
          f.get(50, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          // still reading: virtual time goes on, the channel stays held
        } catch (java.util.concurrent.ExecutionException e) {
          // a failed verification: the engine resumes and ledgers why
        }
      }
    }
  }

  /** Ledger kinds in order: circuit.*, reconcile.report and attempt entries. */
  private List<String> ledgerKinds() {
    return db.read(
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT kind FROM ledger WHERE kind IN"
                          + " ('attempt', 'reconcile.report', 'circuit.verify', 'circuit.resumed')"
                          + " ORDER BY at, id");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(rs.getString(1));
            }
          }
          return out;
        });
  }

  private List<Map<String, Object>> resumed() {
    return db.read(
        c -> {
          List<Map<String, Object>> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT attributes FROM ledger WHERE kind = 'circuit.resumed'"
                          + " ORDER BY at, id");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new com.fasterxml.jackson.databind.ObjectMapper()
                      .readValue(
                          rs.getString(1),
                          new com.fasterxml.jackson.core.type.TypeReference<
                              Map<String, Object>>() {}));
            }
          } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
          }
          return out;
        });
  }

  /** The channel goes down, a change is pending for day 4, then another for day 6. */
  private void outage() {
    sim.setOutage(true);
    engine.ingest().accept(List.of(rate(4, "150.00")));
    runFor(Duration.ofSeconds(20));
    assertThat(engine.status().get(CH).circuit()).isEqualTo(BreakerState.OPEN);
    engine.ingest().accept(List.of(rate(6, "160.00")));
  }

  @Test
  void afterALongOutageTheAffectedDatesAreReconciledBeforePushesResume() throws Exception {
    startAtParity("native", 41);
    outage();
    // While it is down the channel loses cells (as a restore from a backup would): one in the
    // affected dates, one outside them.
    sim.drop("P1", new CellKey("S1", null, day(5)));
    sim.drop("P1", new CellKey("S1", null, day(9)));
    runFor(Duration.ofMinutes(3));
    assertThat(reports).isEmpty();

    sim.setOutage(false);
    runAndVerify(Duration.ofMinutes(2));

    assertThat(reports).hasSize(1);
    ReconciliationReport report = reports.get(0);
    assertThat(report.from()).isEqualTo(day(4));
    assertThat(report.to()).isEqualTo(day(6));
    ReconciliationReport.Group g = report.groups().get(0);
    assertThat(g.status()).as(g.note()).isEqualTo(ReconciliationReport.Status.AUTO_CORRECTED);
    assertThat(g.counts()).containsEntry(DriftClass.MISSING, 1);
    assertThat(g.drifted()).isEqualTo(1);
    assertThat(g.cells())
        .filteredOn(c -> c.kind() == DriftClass.MISSING)
        .extracting(c -> c.roomType() + " " + c.date())
        .containsExactly("SGL " + day(5));

    List<String> kinds = ledgerKinds();
    int verify = kinds.indexOf("circuit.verify");
    int resumed = kinds.indexOf("circuit.resumed");
    assertThat(verify).as(kinds.toString()).isPositive();
    // the probe that closed the circuit came before; then no push until the report is stored
    assertThat(kinds.subList(verify, resumed + 1))
        .containsExactly("circuit.verify", "reconcile.report", "circuit.resumed");
    assertThat(kinds.subList(resumed + 1, kinds.size())).contains("attempt");
    assertThat(resumed())
        .singleElement()
        .satisfies(a -> assertThat(a).containsEntry("verified", true));

    assertThat(engine.status().get(CH).settled()).isTrue();
    assertThat(cell("D1", "R1", 4).rate()).isEqualByComparingTo("150.00");
    assertThat(cell("D1", "R1", 6).rate()).isEqualByComparingTo("160.00");
    assertThat(cell("S1", null, 5).availability()).isEqualTo(5); // found and re-pushed
    assertThat(cell("S1", null, 9)).isNull(); // outside the affected dates: not verified
  }

  @Test
  void aShortOutageIsNotScanned() throws Exception {
    startAtParity("native", 42);
    outage();
    runFor(Duration.ofSeconds(30));
    sim.setOutage(false);
    runAndVerify(Duration.ofMinutes(1));

    assertThat(reports).isEmpty();
    assertThat(checks).isEmpty();
    assertThat(ledgerKinds()).doesNotContain("circuit.verify", "circuit.resumed");
    assertThat(engine.status().get(CH).settled()).isTrue();
    assertThat(cell("D1", "R1", 6).rate()).isEqualByComparingTo("160.00");
  }

  @Test
  void aChannelThatCannotBeReadResumesUnverifiedAndSaysWhy() throws Exception {
    startAtParity("ota", 43);
    outage();
    runFor(Duration.ofMinutes(3));
    sim.setOutage(false);
    runAndVerify(Duration.ofMinutes(1));

    assertThat(reports).isEmpty();
    assertThat(resumed())
        .singleElement()
        .satisfies(
            a ->
                assertThat(a)
                    .containsEntry("verified", false)
                    .containsEntry("reason", "channel cannot be read: no snapshot API"));
    assertThat(engine.status().get(CH).settled()).isTrue();
    assertThat(cell("D1", "R1", 6).rate()).isEqualByComparingTo("160.00");
  }
}
