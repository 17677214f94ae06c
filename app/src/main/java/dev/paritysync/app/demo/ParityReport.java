package dev.paritysync.app.demo;

import dev.paritysync.core.time.Clock;
import dev.paritysync.hotel.adapter.Adapters;
import dev.paritysync.hotel.adapter.ChannelAdapter;
import dev.paritysync.hotel.ari.Cell;
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Restrictions;
import dev.paritysync.hotel.batch.CellRange;
import dev.paritysync.hotel.batch.RangeCompressor;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.channel.ChannelMapping;
import dev.paritysync.hotel.engine.HotelEngine;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.CellValue;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The demo's closing parity report: per channel, what its simulator holds compared with the truth,
 * the cells in queues, the requests sent against the minimum the channel's limits allow, and
 * whether anything was applied twice.
 */
final class ParityReport {
  private ParityReport() {}

  static int print(
      PrintStream out,
      HotelEngine engine,
      Database db,
      Map<String, ChannelConfig> configs,
      Map<String, SimChannel> sims,
      LocalDate firstNight,
      Clock clock) {
    out.println("parity report — what each simulator holds, compared with the truth");
    out.println(
        "channel   cells     at parity  in queues  differ  requests  minimum  ratio  applied twice");
    boolean ok = true;
    Queues queues = new Queues(new Ledger(clock), clock);
    Map<String, List<QueueItem>> items = new LinkedHashMap<>();
    for (Map.Entry<String, SimChannel> e : sims.entrySet()) {
      String name = e.getKey();
      ok &= row(out, engine, name, e.getValue(), DemoChannels.named(configs, name));
      items.put(
          name,
          db.read(
              c ->
                  queues.list(
                      c, Queues.Filter.all().withChannel(name).withState(QueueItem.State.OPEN))));
    }
    out.println();
    out.println(
        "requests: every request the channel received, retries and failed ones included;"
            + " minimum: the fewest");
    out.println(
        "requests that carry the final state under the channel's limits (one push of everything at"
            + " the end).");
    printQueued(out, items);
    out.println();
    out.println(
        ok
            ? "at parity: every cell not in a queue holds the truth on every channel"
            : "NOT at parity: some cells differ from the truth outside the queues");
    return ok ? 0 : 1;
  }

  /** One channel's line; returns whether it is at parity and applied nothing twice. */
  private static boolean row(
      PrintStream out, HotelEngine engine, String name, SimChannel sim, ChannelConfig config) {
    ChannelAdapter adapter = Adapters.standard().create(config);
    RangeCompressor compressor = new RangeCompressor(config.limits(), adapter::estimateSize);
    long cells = 0;
    long atParity = 0;
    long parked = 0;
    long differ = 0;
    long minimum = 0;
    for (int p = 1; p <= EngineDemo.PROPERTIES; p++) {
      String property = "H" + p;
      Map<CellKey, CellValue> held = sim.state(property);
      List<Cell> truth = new ArrayList<>();
      for (HotelEngine.CellState s : engine.cells(name, property)) {
        cells++;
        truth.add(s.cell());
        boolean same = same(s.cell(), config.mapping(), held);
        if (same && s.atParity()) {
          atParity++;
        } else if (s.parked()) {
          parked++;
        } else {
          differ++;
        }
      }
      // Unmapped cells are never sent; a request the adapter sends in parts counts each part.
      truth.removeIf(c -> config.mapping().map(c).isEmpty());
      for (List<CellRange> request : compressor.compress(truth)) {
        minimum += adapter.encode("minimum", property, request).size();
      }
    }
    long requests = sim.stats().requests();
    long twice = sim.stats().doubleApplications();
    out.printf(
        Locale.ROOT,
        "%-8s  %,7d   %,7d    %,7d    %,5d   %,7d   %,6d   %4.2f  %d%n",
        name,
        cells,
        atParity,
        parked,
        differ,
        requests,
        minimum,
        minimum == 0 ? 0.0 : (double) requests / minimum,
        twice);
    return differ == 0 && twice == 0;
  }

  /** The open queue items, oldest first per channel. */
  private static void printQueued(PrintStream out, Map<String, List<QueueItem>> items) {
    boolean any = false;
    for (Map.Entry<String, List<QueueItem>> e : items.entrySet()) {
      for (QueueItem item :
          e.getValue().stream().sorted(Comparator.comparing(QueueItem::createdAt)).toList()) {
        if (!any) {
          out.println();
          out.println(
              "in queues (cells as parked; later changes to them travelled on their own — see"
                  + " `paritysync queue show <id>`):");
          any = true;
        }
        out.printf(
            "  %-8s %-14s %s  %s  %s%n",
            e.getKey(),
            item.queue() == QueueItem.Queue.DEAD_LETTER ? "dead letter" : "reconciliation",
            item.id(),
            cellsOf(item) == 1 ? "1 cell" : cellsOf(item) + " cells",
            item.reason());
      }
    }
  }

  private static int cellsOf(QueueItem item) {
    Object batch = item.evidence().get("batch");
    if (batch instanceof Map<?, ?> m && m.get("cells") instanceof List<?> l) {
      return l.size();
    }
    return 0;
  }

  /** Whether the channel holds the cell's truth (every field the truth has). */
  static boolean same(Cell cell, ChannelMapping mapping, Map<CellKey, CellValue> held) {
    ChannelMapping.Codes codes = mapping.map(cell).orElse(null);
    if (codes == null) {
      return false;
    }
    CellValue v = held.get(new CellKey(codes.room(), codes.ratePlan(), cell.date()));
    if (v == null) {
      return false;
    }
    CellValues t = cell.values();
    if (t.rate() != null
        && (v.rate() == null
            || v.rate().compareTo(t.rate().amount()) != 0
            // a dialect that does not send the currency (it is the rate plan's) holds none
            || (v.currency() != null && !Objects.equals(t.rate().currency(), v.currency())))) {
      return false;
    }
    if (t.availability() != null && !t.availability().equals(v.availability())) {
      return false;
    }
    Restrictions r = t.restrictions();
    if (r != null) {
      return eq(r.minLos(), v.minLos())
          && eq(r.maxLos(), v.maxLos())
          && eq(r.closed(), v.closed())
          && eq(r.closedToArrival(), v.closedToArrival())
          && eq(r.closedToDeparture(), v.closedToDeparture());
    }
    return true;
  }

  private static boolean eq(@Nullable Object truth, @Nullable Object held) {
    return truth == null || truth.equals(held);
  }

  /** Waits {@code d} on {@code scheduler}: the demo's pacing goes through the injected time too. */
}
