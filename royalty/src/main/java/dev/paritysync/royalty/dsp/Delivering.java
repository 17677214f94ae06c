package dev.paritysync.royalty.dsp;

import dev.paritysync.core.time.Clock;
import dev.paritysync.royalty.Arrival;
import dev.paritysync.royalty.Deliveries;
import dev.paritysync.royalty.Delivery;
import dev.paritysync.royalty.IngestedDelivery;
import dev.paritysync.royalty.RunSummary;
import dev.paritysync.store.Database;
import dev.paritysync.store.Queues;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The end of a pull: verifies a fully staged report against its manifest and delivers it through
 * {@link Deliveries}, so that a report is one set of rows whatever route it came by. A match is
 * published to the sink, then one transaction marks it complete and records the delivery (route
 * {@code api}, report id = the DSP's), replacing an earlier delivery of the report (a file upload).
 * A mismatch is published and recorded <em>incomplete</em> with the reason, so that a later
 * complete delivery replaces it — unless a complete delivery of the report is recorded, which a
 * mismatch never replaces (then nothing is published). A crash between publishing and recording
 * publishes again on the next pull; the sink replaces. Thread-safe (stateless over the database).
 */
final class Delivering {
  private final String source;
  private final DspStaging staging;
  private final Database database;
  private final Deliveries deliveries;
  private final ReportSink sink;
  private final Clock clock;
  private final Queues queues;

  Delivering(
      String source,
      DspStaging staging,
      Database database,
      Deliveries deliveries,
      ReportSink sink,
      Clock clock,
      Queues queues) {
    this.source = source;
    this.staging = staging;
    this.database = database;
    this.deliveries = deliveries;
    this.sink = sink;
    this.clock = clock;
    this.queues = queues;
  }

  /**
   * Verifies and delivers {@code report}.
   *
   * @return the earlier deliveries whose rows this one replaced
   * @throws ReportMismatchException when the staged rows do not match the manifest
   */
  List<IngestedDelivery> finish(ReportManifest report) {
    DspStaging.Tally tally = staging.tally(source, report.id());
    String mismatch = null;
    if (tally.rows() != report.rows() || !tally.checksum().equals(report.checksum())) {
      mismatch =
          "report "
              + report.id()
              + " of source "
              + source
              + " does not match its manifest: staged "
              + tally.rows()
              + " rows with checksum "
              + tally.checksum()
              + ", manifest "
              + report.rows()
              + " rows with checksum "
              + report.checksum();
    }
    Arrival arrival = arrival(report, tally, mismatch);
    Deliveries.Verdict verdict = database.read(c -> deliveries.decide(c, arrival, false));
    Deliveries.Write write = verdict instanceof Deliveries.Write w ? w : null;
    if (write != null) {
      staging.publish(source, report, sink);
    }
    long now = clock.millis();
    String reason = mismatch;
    database.inTransactionRun(
        c -> {
          if (reason == null) {
            DspStaging.markComplete(c, source, report.id(), now);
          } else {
            DspStaging.markMismatch(c, source, report.id());
          }
          if (write == null) {
            return;
          }
          for (IngestedDelivery old : write.replacing()) {
            if (!old.report().equals(report.id())) {
              discardDeadLetters(c, old.report(), report.id());
            }
          }
          deliveries.record(c, arrival, write);
        });
    if (mismatch != null) {
      throw new ReportMismatchException(report.id(), mismatch);
    }
    return write == null ? List.of() : write.replacing();
  }

  /** The open dead letters of a replaced delivery (a file) are superseded by the pull's. */
  private void discardDeadLetters(Connection c, String earlier, String report) throws SQLException {
    for (String id : Deliveries.openDeadLetters(c, source, earlier)) {
      queues.discard(c, id, Deliveries.supersededReason(earlier, report));
    }
  }

  private Arrival arrival(
      ReportManifest report, DspStaging.Tally tally, @Nullable String mismatch) {
    DspStaging.Valid valid = staging.valid(source, report.id());
    return new Arrival(
        report.id(),
        report.id(),
        "api",
        new RunSummary(
            tally.rows(),
            valid.rows(),
            tally.rows() - valid.rows(),
            0,
            new Delivery(source, report.checksum(), null),
            mismatch),
        report.period().toString(),
        valid.territory(),
        valid.useType());
  }
}
