package dev.paritysync.hotel.batch;

import dev.paritysync.hotel.ari.Cell;
import dev.paritysync.hotel.channel.ChannelLimits;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Turns the pending cells of one channel and property into requests: consecutive dates of the same
 * room type and rate plan with equal values become one {@link CellRange}, and ranges fill requests
 * up to the channel's {@link ChannelLimits}.
 *
 * <p>Guarantees: every input cell lies in exactly one range; ranges never overlap; the number of
 * ranges is the number of maximal runs of equal values on consecutive dates (one per cell on a
 * per-day-only channel); requests are filled in order, so none could take the next range without
 * breaking a limit. Output order is deterministic: room type, then rate plan (room-type ranges
 * first), then date. A request's size is the sum of its ranges' estimated sizes; a range that alone
 * exceeds {@code maxBytesPerRequest} travels alone, and the channel decides.
 *
 * <p>Immutable and thread-safe if the size function is.
 */
// Written by hand: run-length grouping of a sorted sequence plus an in-order greedy packer is a
// few dozen lines, and the invariants that matter here (exactly-once cover, minimal ranges, limits
// per request, stable order across retries) are ours to state and test; interval libraries (Guava
// RangeSet and the like) merge by overlap, not by equal values on adjacent days, and know nothing
// of request limits.
public final class RangeCompressor {
  private static final Comparator<Cell> ORDER =
      Comparator.comparing(Cell::roomType)
          .thenComparing(Cell::ratePlan, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(Cell::date);

  private final ChannelLimits limits;
  private final ToLongFunction<CellRange> size;

  /**
   * A compressor for a channel with {@code limits}, estimating a range's encoded size in bytes with
   * {@code size}.
   */
  public RangeCompressor(ChannelLimits limits, ToLongFunction<CellRange> size) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.size = Objects.requireNonNull(size, "size");
  }

  /**
   * The requests that carry {@code cells}, each a non-empty list of ranges; empty for no cells.
   *
   * @throws IllegalArgumentException when the cells span several properties, or two cells share a
   *     room type, rate plan and date
   */
  public List<List<CellRange>> compress(Collection<Cell> cells) {
    return pack(ranges(cells));
  }

  List<CellRange> ranges(Collection<Cell> cells) {
    List<Cell> sorted = new ArrayList<>(cells);
    sorted.sort(ORDER);
    List<CellRange> ranges = new ArrayList<>();
    @Nullable Cell first = null;
    @Nullable Cell last = null;
    for (Cell cell : sorted) {
      if (last != null) {
        if (!cell.property().equals(last.property())) {
          throw new IllegalArgumentException(
              "cells of several properties: " + last.property() + ", " + cell.property());
        }
        boolean sameKey =
            cell.roomType().equals(last.roomType())
                && Objects.equals(cell.ratePlan(), last.ratePlan());
        if (sameKey && cell.date().equals(last.date())) {
          throw new IllegalArgumentException("two cells for one date: " + cell);
        }
        boolean merges =
            sameKey
                && !limits.perDayOnly()
                && cell.date().equals(last.date().plusDays(1))
                && cell.values().equals(last.values());
        if (!merges) {
          ranges.add(range(Objects.requireNonNull(first, "first"), last.date()));
          first = cell;
        }
      } else {
        first = cell;
      }
      last = cell;
    }
    if (first != null && last != null) {
      ranges.add(range(first, last.date()));
    }
    return ranges;
  }

  private List<List<CellRange>> pack(List<CellRange> ranges) {
    List<List<CellRange>> requests = new ArrayList<>();
    List<CellRange> current = new ArrayList<>();
    long bytes = 0;
    for (CellRange range : ranges) {
      long b = size.applyAsLong(range);
      if (b < 0) {
        throw new IllegalArgumentException("size estimate " + b + " < 0 for " + range);
      }
      boolean fits =
          current.size() < limits.maxRangesPerRequest()
              && b <= limits.maxBytesPerRequest() - bytes; // no overflow: both ≥ 0
      if (!fits && !current.isEmpty()) {
        requests.add(List.copyOf(current));
        current.clear();
        bytes = 0;
      }
      current.add(range);
      bytes += b;
    }
    if (!current.isEmpty()) {
      requests.add(List.copyOf(current));
    }
    return List.copyOf(requests);
  }

  private static CellRange range(Cell first, LocalDate to) {
    return new CellRange(
        first.property(), first.roomType(), first.ratePlan(), first.date(), to, first.values());
  }
}
