package dev.paritysync.hotel.reconcile;

import dev.paritysync.hotel.ari.CellValues;
import java.time.LocalDate;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One differing cell of a snapshot, in PMS codes; or, for {@link DriftClass#UNMAPPED}, one channel
 * code the mapping does not know (then {@code roomType} holds the code as {@code room} or {@code
 * room/ratePlan}, and rate plan, date and values are null). Immutable.
 *
 * @param kind why it differs
 * @param roomType the room type
 * @param ratePlan the rate plan, or null for a room-type cell
 * @param date the stay date, or null for an unmapped code
 * @param truth truth's value, or null when truth has none
 * @param channel the channel's value, or null when the channel holds none
 * @param truthVersion truth's version, or null
 */
public record DriftCell(
    DriftClass kind,
    String roomType,
    @Nullable String ratePlan,
    @Nullable LocalDate date,
    @Nullable CellValues truth,
    @Nullable CellValues channel,
    @Nullable Long truthVersion) {
  public DriftCell {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(roomType, "roomType");
  }

  /** Whether a re-push of truth fixes it: drift on a cell truth has. */
  public boolean correctable() {
    return kind.drift() && truth != null;
  }
}
