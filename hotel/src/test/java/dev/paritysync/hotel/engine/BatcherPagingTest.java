package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.channel.ChannelLimits;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link Batcher#formBatches} takes a bounded page per call, fairly across properties. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class BatcherPagingTest {
  @Parameter Backend backend;
  @TempDir Path dir;
  Harness h;

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  private Batcher batcher(int maxCellsPerCall) {
    return new Batcher(
            h.db,
            h.queue,
            h.ledger,
            h.time,
            Harness.CHANNEL,
            ChannelLimits.DEFAULTS,
            h.adapter,
            maxCellsPerCall)
        .eager(); // these tests form several pages before anything is sent
  }

  /** One change per week for a year: 365 cells that compress into 53 ranges. */
  private static List<Change> weeklyRates(String property, String room) {
    List<Change> changes = new ArrayList<>();
    for (int week = 0; week * 7 < 365; week++) {
      LocalDate from = Engines.TODAY.plusDays(week * 7L);
      LocalDate to = Engines.TODAY.plusDays(Math.min(364, week * 7L + 6));
      changes.add(
          Change.builder(property, room, from, to)
              .withRatePlan("BAR")
              .withRate(Rate.of((100 + week % 2) + ".00", "EUR"))
              .build());
    }
    return changes;
  }

  private List<BatchPayload> payloads(List<String> ids) {
    List<BatchPayload> out = new ArrayList<>();
    for (String id : ids) {
      out.add(BatchPayload.fromJson(h.db.read(c -> h.queue.find(c, id)).orElseThrow().payload()));
    }
    return out;
  }

  private static int cells(List<BatchPayload> batches) {
    return batches.stream().mapToInt(b -> b.cells().size()).sum();
  }

  @Test
  void aBacklogLargerThanThePageIsFormedOverSeveralCallsWithNothingLostOrDuplicated() {
    h = new Harness(backend, dir, Harness.healthy());
    h.ingest.accept(weeklyRates("P1", "DBL"));
    h.ingest.accept(weeklyRates("P1", "SGL"));
    Batcher batcher = batcher(500);

    List<List<BatchPayload>> calls = new ArrayList<>();
    for (List<String> ids = batcher.formBatches(); !ids.isEmpty(); ids = batcher.formBatches()) {
      calls.add(payloads(ids));
    }

    // 730 cells in two series of 365: a page of 500 takes one whole series, not one and a part.
    assertThat(calls).hasSize(2);
    assertThat(calls).allSatisfy(call -> assertThat(cells(call)).isEqualTo(365));
    assertThat(calls.get(0))
        .flatExtracting(BatchPayload::cells)
        .extracting(BatchPayload.CellVersion::roomType)
        .containsOnly("DBL");
    assertThat(calls.get(1))
        .flatExtracting(BatchPayload::cells)
        .extracting(BatchPayload.CellVersion::roomType)
        .containsOnly("SGL");
    assertThat(calls)
        .allSatisfy(call -> assertThat(call).flatExtracting(BatchPayload::ranges).hasSize(53));
    Set<String> seen = new HashSet<>();
    calls.stream()
        .flatMap(List::stream)
        .flatMap(b -> b.cells().stream())
        .forEach(v -> assertThat(seen.add(v.roomType() + "/" + v.date())).as("%s", v).isTrue());
    assertThat(seen).hasSize(730);
    assertThat(
            Engines.count(
                h.db,
                "SELECT COUNT(*) FROM ari_outbox WHERE pending_version IS NULL"
                    + " AND inflight_version IS NOT NULL"))
        .isEqualTo(730);

    h.settle(h.worker("w1"));

    assertThat(h.sim.stats().cellsApplied()).isEqualTo(730);
    assertThat(h.sim.doubleApplications()).isZero();
  }

  @Test
  void aSeriesLongerThanThePageIsCutByDateAndEachPageStillCompressesToOneRange() {
    h = new Harness(backend, dir, Harness.healthy());
    h.accept(
        Change.builder("P1", "DBL", Engines.TODAY, Engines.TODAY.plusDays(364))
            .withRatePlan("BAR")
            .withRate(Rate.of("120.00", "EUR"))
            .build());
    Batcher batcher = batcher(100);

    List<BatchPayload> formed = new ArrayList<>();
    int calls = 0;
    for (List<String> ids = batcher.formBatches(); !ids.isEmpty(); ids = batcher.formBatches()) {
      calls++;
      formed.addAll(payloads(ids));
    }

    assertThat(calls).isEqualTo(4);
    assertThat(formed).extracting(b -> b.cells().size()).containsExactly(100, 100, 100, 65);
    assertThat(formed).allSatisfy(b -> assertThat(b.ranges()).hasSize(1));
    assertThat(formed)
        .extracting(b -> b.ranges().get(0).from())
        .containsExactly(
            Engines.TODAY,
            Engines.TODAY.plusDays(100),
            Engines.TODAY.plusDays(200),
            Engines.TODAY.plusDays(300));
    assertThat(formed.get(3).ranges().get(0).to()).isEqualTo(Engines.TODAY.plusDays(364));
  }

  @Test
  void aSmallPropertyIsServedWhileABigOneHasABacklog() {
    h = new Harness(backend, dir, Harness.healthy());
    h.ingest.accept(weeklyRates("P1", "DBL"));
    h.ingest.accept(weeklyRates("P1", "SGL"));
    h.accept(
        Change.builder("P2", "DBL", Engines.TODAY.plusDays(1), Engines.TODAY.plusDays(3))
            .withRatePlan("BAR")
            .withRate(Rate.of("90.00", "EUR"))
            .build());
    Batcher batcher = batcher(200);

    List<BatchPayload> first = payloads(batcher.formBatches());

    assertThat(cells(first)).isEqualTo(200);
    assertThat(first)
        .filteredOn(b -> b.property().equals("P2"))
        .flatExtracting(BatchPayload::cells)
        .hasSize(3);
    assertThat(cells(first.stream().filter(b -> b.property().equals("P1")).toList()))
        .isEqualTo(197);

    // P1 still has 533 cells waiting; a new P2 change goes out on the very next call.
    h.accept(
        Change.builder("P2", "DBL", Engines.TODAY.plusDays(9), Engines.TODAY.plusDays(9))
            .withRatePlan("BAR")
            .withRate(Rate.of("95.00", "EUR"))
            .build());
    List<BatchPayload> second = payloads(batcher.formBatches());

    assertThat(second)
        .filteredOn(b -> b.property().equals("P2"))
        .flatExtracting(BatchPayload::cells)
        .extracting(BatchPayload.CellVersion::date)
        .containsExactly(Engines.TODAY.plusDays(9));
    // P1's share (199) ends its DBL series (168 left) and does not start SGL with 31 cells.
    assertThat(second)
        .filteredOn(b -> b.property().equals("P1"))
        .flatExtracting(BatchPayload::cells)
        .hasSize(168)
        .extracting(BatchPayload.CellVersion::roomType)
        .containsOnly("DBL");
  }

  @Test
  void propertiesTakeTurnsWhenThePageHoldsOneCell() {
    h = new Harness(backend, dir, Harness.healthy());
    h.accept(
        Change.builder("P1", "DBL", Engines.TODAY.plusDays(1), Engines.TODAY.plusDays(3))
            .withRatePlan("BAR")
            .withRate(Rate.of("100.00", "EUR"))
            .build());
    h.accept(
        Change.builder("P2", "DBL", Engines.TODAY.plusDays(1), Engines.TODAY.plusDays(1))
            .withRatePlan("BAR")
            .withRate(Rate.of("100.00", "EUR"))
            .build());
    Batcher batcher = batcher(1);

    List<String> turns = new ArrayList<>();
    for (List<String> ids = batcher.formBatches(); !ids.isEmpty(); ids = batcher.formBatches()) {
      assertThat(ids).hasSize(1);
      turns.add(payloads(ids).get(0).property());
    }

    assertThat(turns).containsExactly("P1", "P2", "P1", "P1");
  }

  @Test
  void aPageOfNoCellsIsRejectedNamingTheSetting() {
    h = new Harness(backend, dir, Harness.healthy());

    assertThatThrownBy(() -> batcher(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxCellsPerCall must be at least 1, was 0");
  }
}
