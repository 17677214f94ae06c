package dev.paritysync.hotel.reconcile;

import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one reconciliation pass: per channel and property, what was compared, the drift
 * found, and what was done about it. Immutable.
 *
 * @param id the report's id (a ULID), the handle of {@code paritysync reconcile approve}
 * @param createdAt when the pass ran
 * @param from the first date compared
 * @param to the last date compared, inclusive
 * @param status {@link Status#REVIEW} while any group waits for approval
 * @param groups one per channel and property, in the order read
 */
public record ReconciliationReport(
    String id,
    Instant createdAt,
    @Nullable LocalDate from,
    @Nullable LocalDate to,
    Status status,
    List<Group> groups) {

  public ReconciliationReport {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(status, "status");
    groups = List.copyOf(groups);
  }

  /** The status a report with {@code groups} has: the most urgent of theirs. */
  static Status statusOf(List<Group> groups) {
    Status s = Status.CLEAN;
    for (Group g : groups) {
      if (g.status().ordinal() > s.ordinal()) {
        s = g.status();
      }
    }
    return s;
  }

  /** This report with {@code groups} and the status they give. */
  ReconciliationReport withGroups(List<Group> groups) {
    return new ReconciliationReport(id, createdAt, from, to, statusOf(groups), groups);
  }

  /** What a report or a group came to, least urgent first. */
  public enum Status {
    /** No drift. */
    CLEAN,
    /** A person approved the drift; it was re-pushed. */
    APPROVED,
    /** Drift under the thresholds; re-pushed automatically. */
    AUTO_CORRECTED,
    /** The channel could not be read (no reader, or the read failed); see the note. */
    UNREADABLE,
    /** Drift over the thresholds; nothing pushed until a person approves. */
    REVIEW
  }

  /**
   * One channel and property. Immutable.
   *
   * @param channel the channel
   * @param property the property
   * @param compared truth's cells in the date range that the channel's mapping maps
   * @param cells the differing cells, with their class, sorted by room type, rate plan, date
   * @param status what was done
   * @param repushed how many cells were made pending again
   * @param note why the channel could not be read, or null
   */
  public record Group(
      String channel,
      String property,
      int compared,
      List<DriftCell> cells,
      Status status,
      int repushed,
      @Nullable String note) {
    public Group {
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(property, "property");
      cells = List.copyOf(cells);
      Objects.requireNonNull(status, "status");
    }

    /** How many cells fell in each class; every class present, 0 when none. */
    public Map<DriftClass, Integer> counts() {
      Map<DriftClass, Integer> m = new EnumMap<>(DriftClass.class);
      for (DriftClass k : DriftClass.values()) {
        m.put(k, 0);
      }
      cells.forEach(c -> m.merge(c.kind(), 1, Integer::sum));
      return m;
    }

    /** Cells in a drift class ({@link DriftClass#drift()}). */
    public int drifted() {
      return (int) cells.stream().filter(c -> c.kind().drift()).count();
    }

    /**
     * Drifted cells in % of the cells compared (100 when nothing was compared but some drifted).
     */
    public double driftPercent() {
      if (compared == 0) {
        return drifted() == 0 ? 0 : 100;
      }
      return Math.round(drifted() * 10_000.0 / compared) / 100.0;
    }

    /** The drifted cells a re-push of truth fixes. */
    public List<DriftCell> correctable() {
      return cells.stream().filter(DriftCell::correctable).toList();
    }

    Group withStatus(Status s, int repushed) {
      return new Group(channel, property, compared, cells, s, repushed, note);
    }
  }
}
