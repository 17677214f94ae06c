package dev.paritysync.app.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.hotel.reconcile.ReconciliationReport;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconcileAdminSummaryTest {

  @Test
  void aStoredReportWithoutDatesIsSummarisedWithNullDatesNotAFailure() {
    ReconciliationReport r =
        new ReconciliationReport(
            "r1", Instant.EPOCH, null, null, ReconciliationReport.Status.CLEAN, List.of());

    ReconcileAdmin.ReportSummary s = ReconcileAdmin.summary(r);

    assertThat(s.from()).isNull();
    assertThat(s.to()).isNull();
    assertThat(s.status()).isEqualTo("CLEAN");
  }

  @Test
  void aReportsDatesAreSummarisedAsIsoDates() {
    ReconciliationReport r =
        new ReconciliationReport(
            "r2",
            Instant.EPOCH,
            LocalDate.of(2026, 3, 1),
            LocalDate.of(2026, 3, 31),
            ReconciliationReport.Status.CLEAN,
            List.of());

    ReconcileAdmin.ReportSummary s = ReconcileAdmin.summary(r);

    assertThat(s.from()).isEqualTo("2026-03-01");
    assertThat(s.to()).isEqualTo("2026-03-31");
  }
}
