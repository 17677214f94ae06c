package dev.paritysync.hotel.reconcile;

import dev.paritysync.hotel.adapter.ChannelAdapter;
import dev.paritysync.hotel.ari.Cell;
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.engine.ChannelReader;
import dev.paritysync.hotel.engine.HotelEngine;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Resolves 409 conflicts (open reconciliation-queue items): {@link #show} reads a snapshot of the
 * item's cells and puts truth and the channel's value side by side; {@link #resolve} either
 * re-pushes truth to that channel or accepts the channel's values into truth (a new version, which
 * then goes to every channel), and closes the item. Both are ledgered ({@code reconcile.resolved},
 * plus {@code reconcile.repushed} or {@code change.accepted}). Thread-safe.
 */
public final class ConflictResolver {
  private final HotelEngine engine;

  /** Resolves the reconciliation items of {@code engine}. */
  public ConflictResolver(HotelEngine engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  /** How a person resolves a conflict. */
  public enum Resolution {
    /** Send truth again, to the conflicting channel only. */
    REPUSH,
    /** Make the channel's values truth. */
    ACCEPT_CHANNEL
  }

  /**
   * One cell of a conflict. Immutable.
   *
   * @param cell truth's cell
   * @param channel the channel's value, or null when it holds none
   * @param agree whether the channel holds what truth sets
   */
  public record Side(Cell cell, @Nullable CellValues channel, boolean agree) {}

  /**
   * A conflict's cells. Immutable.
   *
   * @param item the reconciliation item
   * @param channel the channel
   * @param property the property
   * @param cells truth and the channel's value per cell
   */
  public record View(String item, String channel, String property, List<Side> cells) {
    public View {
      cells = List.copyOf(cells);
    }
  }

  /**
   * Truth and the channel's value of every cell of open reconciliation item {@code itemId}.
   *
   * @throws IllegalArgumentException when no open reconciliation item has {@code itemId}, or its
   *     channel cannot be read
   */
  public CompletableFuture<View> show(String itemId) {
    HotelEngine.Conflict conflict = engine.conflict(itemId);
    ChannelReader reader =
        engine
            .reader(conflict.channel())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "channel " + conflict.channel() + " cannot be read: no snapshot API"));
    if (conflict.cells().isEmpty()) {
      return CompletableFuture.completedFuture(
          new View(itemId, conflict.channel(), conflict.property(), List.of()));
    }
    LocalDate from = conflict.cells().get(0).cell().date();
    LocalDate to = from;
    for (HotelEngine.CellState s : conflict.cells()) {
      from = s.cell().date().isBefore(from) ? s.cell().date() : from;
      to = s.cell().date().isAfter(to) ? s.cell().date() : to;
    }
    return reader
        .read(conflict.property(), from, to)
        .thenApply(snapshot -> view(conflict, snapshot));
  }

  private static View view(HotelEngine.Conflict conflict, ChannelAdapter.Snapshot snapshot) {
    Map<String, CellValues> held = new HashMap<>();
    for (Cell c : snapshot.cells()) {
      held.put(key(c), c.values());
    }
    List<Side> sides = new ArrayList<>();
    for (HotelEngine.CellState s : conflict.cells()) {
      CellValues ch = held.get(key(s.cell()));
      sides.add(new Side(s.cell(), ch, ch != null && Reconciler.matches(s.cell().values(), ch)));
    }
    return new View(conflict.item(), conflict.channel(), conflict.property(), sides);
  }

  private static String key(Cell c) {
    return c.roomType() + "|" + c.ratePlan() + "|" + c.date();
  }

  /**
   * Resolves open reconciliation item {@code itemId} as {@code how}, recording {@code by}; returns
   * how many cells were re-pushed or accepted. {@link Resolution#ACCEPT_CHANNEL} reads a snapshot
   * first and accepts only the cells the channel holds and that differ.
   *
   * @throws IllegalArgumentException when no open reconciliation item has {@code itemId}
   */
  public CompletableFuture<Integer> resolve(String itemId, Resolution how, String by) {
    Objects.requireNonNull(how, "how");
    if (how == Resolution.REPUSH) {
      HotelEngine.Conflict conflict = engine.conflict(itemId);
      int n =
          engine.repush(
              conflict.channel(),
              conflict.property(),
              conflict.cells().stream().map(HotelEngine.CellState::cell).toList(),
              itemId,
              "conflict: re-push truth");
      engine.resolveConflict(itemId, "re-push truth", true, by);
      return CompletableFuture.completedFuture(n);
    }
    return show(itemId)
        .thenApply(
            view -> {
              List<Change> changes = new ArrayList<>();
              for (Side s : view.cells()) {
                if (s.channel() != null && !s.agree()) {
                  changes.add(change(s.cell(), s.channel()));
                }
              }
              if (!changes.isEmpty()) {
                engine.ingest().accept(changes);
              }
              engine.resolveConflict(itemId, "accept the channel's value into truth", false, by);
              return changes.size();
            });
  }

  /**
   * A change setting {@code truth}'s cell to what the channel holds (its currency, else truth's).
   */
  private static Change change(Cell truth, CellValues channel) {
    Change.Builder b =
        Change.builder(truth.property(), truth.roomType(), truth.date(), truth.date());
    if (truth.ratePlan() == null) {
      return b.withAvailability(channel.availability()).build();
    }
    b.withRatePlan(truth.ratePlan());
    if (channel.rate() != null) {
      String currency =
          channel.rate().currency() != null
              ? channel.rate().currency()
              : truth.values().rate() == null ? null : truth.values().rate().currency();
      b.withRate(new Rate(channel.rate().amount(), currency));
    }
    if (channel.restrictions() != null) {
      b.withRestrictions(channel.restrictions());
    }
    return b.build();
  }
}
