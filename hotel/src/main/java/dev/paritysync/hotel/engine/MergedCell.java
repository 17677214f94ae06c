package dev.paritysync.hotel.engine;

import dev.paritysync.hotel.ari.Cell;
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.Restrictions;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The merged values of one cell within an ingest call: the cells each change writes, folded per
 * cell as the truth upsert would fold them one by one (mutable while merging).
 */
final class MergedCell {
  private final Key key;
  private final Object[] values = new Object[8];
  private Cell cell;
  private int change;

  private MergedCell(Key key, Cell cell, int change) {
    this.key = key;
    merge(cell, change);
  }

  Key key() {
    return key;
  }

  /** The merged value of column {@code i} of {@link Rows#VALUE_COLUMNS}, null where none is set. */
  Object value(int i) {
    return values[i];
  }

  /** The last cell merged in. */
  Cell cell() {
    return cell;
  }

  /** The index of the last change of the call that touched the cell. */
  int change() {
    return change;
  }

  private void merge(Cell next, int nextChange) {
    cell = next;
    change = nextChange;
    Object[] v = columns(next.values());
    for (int i = 0; i < v.length; i++) {
      if (v[i] != null) {
        values[i] = v[i];
      }
    }
  }

  /**
   * One row per distinct cell of the call, in primary-key order: the fields every change to it
   * sets, a later change winning per field, as the upsert's {@code COALESCE} would merge them one
   * by one, and the last change to touch it. Key order makes each statement walk the B-trees once
   * instead of hopping between pages.
   */
  static List<MergedCell> merge(List<List<Cell>> cellsByChange) {
    Map<Key, MergedCell> byKey = new HashMap<>();
    for (int i = 0; i < cellsByChange.size(); i++) {
      for (Cell cell : cellsByChange.get(i)) {
        Key key =
            new Key(cell.property(), cell.roomType(), Rows.planKey(cell.ratePlan()), cell.date());
        MergedCell m = byKey.get(key);
        if (m == null) {
          byKey.put(key, new MergedCell(key, cell, i));
        } else {
          m.merge(cell, i);
        }
      }
    }
    List<MergedCell> sorted = new ArrayList<>(byKey.values());
    sorted.sort(Comparator.comparing(MergedCell::key, Key.ORDER));
    return sorted;
  }

  /**
   * The value columns of {@code v} in {@link Rows#VALUE_COLUMNS} order (strings for rate and
   * currency, integers for the rest), null where {@code v} sets nothing: what the truth upsert
   * binds.
   */
  private static Object[] columns(CellValues v) {
    Rate rate = v.rate();
    Restrictions r = v.restrictions() == null ? Restrictions.none() : v.restrictions();
    return new Object[] {
      rate == null ? null : rate.amount().toPlainString(),
      rate == null ? null : rate.currency(),
      v.availability(),
      r.minLos(),
      r.maxLos(),
      bit(r.closed()),
      bit(r.closedToArrival()),
      bit(r.closedToDeparture())
    };
  }

  private static @Nullable Integer bit(@Nullable Boolean b) {
    return b == null ? null : b ? 1 : 0;
  }

  /** A cell's primary key in {@code ari_truth}; {@code ratePlan} is {@code ''} for a room cell. */
  record Key(String property, String roomType, String ratePlan, LocalDate date) {
    static final Comparator<Key> ORDER =
        Comparator.comparing(Key::property)
            .thenComparing(Key::roomType)
            .thenComparing(Key::ratePlan)
            .thenComparing(Key::date);
  }

  /** The cells a change writes: room-type cells for availability, rate-plan cells for the rest. */
  static List<Cell> cellsOf(Change change) {
    List<Cell> cells = new ArrayList<>();
    boolean planValues =
        change.ratePlan() != null
            && (change.rate() != null
                || (change.restrictions() != null && !change.restrictions().isEmpty()));
    CellValues plan =
        planValues ? new CellValues(change.rate(), null, change.restrictions()) : null;
    CellValues room =
        change.availability() == null ? null : CellValues.ofAvailability(change.availability());
    change
        .from()
        .datesUntil(change.to().plusDays(1))
        .forEach(
            date -> {
              if (room != null) {
                cells.add(new Cell(change.property(), change.roomType(), null, date, room));
              }
              if (plan != null) {
                cells.add(
                    new Cell(change.property(), change.roomType(), change.ratePlan(), date, plan));
              }
            });
    return cells;
  }
}
