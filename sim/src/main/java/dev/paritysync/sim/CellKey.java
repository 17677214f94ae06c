package dev.paritysync.sim;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One cell of a property, as the channel keys it. {@code ratePlan} is null for a room-level cell
 * (an availability update that named no rate plan).
 */
public record CellKey(String room, @Nullable String ratePlan, LocalDate date)
    implements Comparable<CellKey> {
  private static final Comparator<CellKey> ORDER =
      Comparator.comparing(CellKey::room)
          .thenComparing(CellKey::ratePlan, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(CellKey::date);

  public CellKey {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(date, "date");
  }

  /** Orders by room, rate plan (room-level first), date. */
  @Override
  public int compareTo(CellKey o) {
    return ORDER.compare(this, o);
  }
}
