package dev.paritysync.hotel.reconcile;

import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.hotel.engine.ResumeCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Verify before resume with a {@link Reconciler}: for a channel whose circuit closed after a long
 * outage, one reconciliation run per affected property over the dates the outage touched — stored,
 * ledgered, small drift re-pushed and large drift flagged for review as any run — before the
 * channel's pushes resume (see {@link HotelEngine#verifyBeforeResume}). A group the channel could
 * not be read for fails the verification with the group's note, so the engine ledgers why it
 * resumed unverified. Thread-safe.
 */
public final class ResumeVerifier implements ResumeCheck {
  private final Reconciler reconciler;
  private final Consumer<ReconciliationReport> onReport;

  /**
   * A verifier running {@code reconciler}, telling {@code onReport} about each report (for example,
   * to print a line).
   */
  public ResumeVerifier(Reconciler reconciler, Consumer<ReconciliationReport> onReport) {
    this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
    this.onReport = Objects.requireNonNull(onReport, "onReport");
  }

  /**
   * Installs a verifier of {@code reconciler} on {@code engine} for outages of at least {@code
   * afterOpen}.
   */
  public static void install(
      HotelEngine engine,
      Reconciler reconciler,
      Duration afterOpen,
      Consumer<ReconciliationReport> onReport) {
    engine.verifyBeforeResume(afterOpen, new ResumeVerifier(reconciler, onReport));
  }

  @Override
  public CompletableFuture<String> verify(String channel, Map<String, DateRange> affected) {
    List<String> results = new ArrayList<>();
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (Map.Entry<String, DateRange> e : new TreeMap<>(affected).entrySet()) {
      DateRange r = e.getValue();
      chain =
          chain
              .thenCompose(
                  x -> reconciler.run(List.of(channel), List.of(e.getKey()), r.from(), r.to()))
              .thenAccept(
                  report -> {
                    onReport.accept(report);
                    for (ReconciliationReport.Group g : report.groups()) {
                      if (g.status() == ReconciliationReport.Status.UNREADABLE) {
                        throw new IllegalStateException(
                            "report " + report.id() + ": " + g.property() + " " + g.note());
                      }
                    }
                    results.add("report " + report.id() + " " + report.status());
                  });
    }
    return chain.thenApply(x -> String.join(", ", results));
  }
}
