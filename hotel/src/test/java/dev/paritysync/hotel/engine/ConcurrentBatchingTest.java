package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.channel.ChannelLimits;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.CellValue;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two batchers of one channel and an ingest run at once (real threads, real database): no cell
 * version travels in two batches, and no batch carries a value older than the version the outbox
 * records for it, so the channel ends at parity.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class ConcurrentBatchingTest {
  @Parameter Backend backend;
  @TempDir Path dir;
  Harness h;

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  private static Change rate(String room, int from, int to, BigDecimal amount) {
    return Change.builder("P1", room, Engines.TODAY.plusDays(from), Engines.TODAY.plusDays(to))
        .withRatePlan("BAR")
        .withRate(Rate.of(amount.toPlainString(), "EUR"))
        .build();
  }

  @Test
  void concurrentBatchersAndIngestKeepEveryCellVersionInOneBatchAndEndAtParity() throws Exception {
    h = new Harness(backend, dir, Harness.healthy());
    List<Change> backlog = new ArrayList<>(); // 730 cells, one range each
    for (int day = 0; day < 365; day++) {
      BigDecimal amount = BigDecimal.valueOf(100 + day % 2).setScale(2);
      backlog.add(rate("DBL", day, day, amount));
      backlog.add(rate("SGL", day, day, amount));
    }
    h.ingest.accept(backlog);
    List<Batcher> batchers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      batchers.add(eagerBatcher());
    }
    ConcurrentLinkedQueue<String> formed = new ConcurrentLinkedQueue<>();
    AtomicBoolean ingesting = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      Future<?> ingest =
          pool.submit(
              () -> {
                SplittableRandom random = new SplittableRandom(11);
                for (int i = 0; i < 150; i++) {
                  int day = random.nextInt(365);
                  h.accept(
                      rate(
                          random.nextBoolean() ? "DBL" : "SGL",
                          day,
                          day,
                          BigDecimal.valueOf(200 + i).setScale(2)));
                }
                ingesting.set(false);
              });
      List<Future<?>> forming = new ArrayList<>();
      for (Batcher b : batchers) {
        forming.add(
            pool.submit(
                () -> {
                  while (true) {
                    boolean more = ingesting.get();
                    List<String> ids = b.formBatches();
                    formed.addAll(ids);
                    if (ids.isEmpty() && !more) {
                      return;
                    }
                  }
                }));
      }
      ingest.get(60, TimeUnit.SECONDS);
      for (Future<?> f : forming) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertEveryCellVersionInOneBatch(formed);
    h.settle(h.worker("w1"));

    Map<CellKey, CellValue> held = h.sim.state("P1");
    Map<String, BigDecimal> truth = truthRates();
    assertThat(truth).hasSize(730);
    truth.forEach(
        (cell, amount) -> {
          String[] parts = cell.split("/");
          CellKey key =
              new CellKey(parts[0].equals("DBL") ? "D1" : "S1", "R1", LocalDate.parse(parts[1]));
          assertThat(held.get(key).rate()).as(cell).isEqualByComparingTo(amount);
        });
    assertThat(h.sim.doubleApplications()).isZero();
  }

  /** A batcher of the channel, batches of up to 50 cells, that forms them without waiting. */
  private Batcher eagerBatcher() {
    return new Batcher(
            h.db, h.queue, h.ledger, h.time, Harness.CHANNEL, ChannelLimits.DEFAULTS, h.adapter, 50)
        .eager();
  }

  private void assertEveryCellVersionInOneBatch(Iterable<String> formed) {
    Map<String, String> carriedBy = new HashMap<>();
    for (String id : formed) {
      BatchPayload batch =
          BatchPayload.fromJson(h.db.read(c -> h.queue.find(c, id)).orElseThrow().payload());
      for (BatchPayload.CellVersion v : batch.cells()) {
        String cell = v.roomType() + "/" + v.date() + "@" + v.version();
        assertThat(carriedBy.put(cell, id)).as("%s in two batches", cell).isNull();
      }
    }
  }

  private Map<String, BigDecimal> truthRates() {
    return h.db.read(
        c -> {
          Map<String, BigDecimal> rates = new HashMap<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT room_type, date, rate FROM ari_truth WHERE property = 'P1'");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              rates.put(rs.getString(1) + "/" + rs.getString(2), new BigDecimal(rs.getString(3)));
            }
          }
          return rates;
        });
  }
}
