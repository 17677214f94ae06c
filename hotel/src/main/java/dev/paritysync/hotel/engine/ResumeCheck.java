package dev.paritysync.hotel.engine;

import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What a {@link HotelEngine} runs when a channel's circuit closes after it was open longer than the
 * threshold given to {@link HotelEngine#verifyBeforeResume}: a verification of what the channel
 * holds for the cells the outage touched, while the channel's pushes are held. The reconciliation
 * package's {@code ResumeVerifier} is the usual one.
 *
 * <p>Called on a scheduler thread; it must not block: return a future and complete it when done.
 */
@FunctionalInterface
public interface ResumeCheck {

  /**
   * Verifies {@code channel} for {@code affected} (property → the dates the outage touched), and
   * completes with a one-line result for the ledger ({@code circuit.resumed}, attribute {@code
   * result}). Completing exceptionally resumes the channel all the same, with the failure as the
   * ledger's {@code reason}.
   */
  CompletableFuture<String> verify(String channel, Map<String, DateRange> affected);

  /**
   * Dates from {@code from} to {@code to}, inclusive.
   *
   * @param from the first date
   * @param to the last date, not before {@code from}
   */
  record DateRange(LocalDate from, LocalDate to) {
    public DateRange {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      if (to.isBefore(from)) {
        throw new IllegalArgumentException("to " + to + " is before from " + from);
      }
    }

    /** The smallest range holding this one and {@code other}. */
    DateRange span(DateRange other) {
      return new DateRange(
          from.isBefore(other.from) ? from : other.from, to.isAfter(other.to) ? to : other.to);
    }
  }
}
