package dev.paritysync.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.ChangeValidator;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoChangesTest {

  @Test
  void everyCallWritesExactlyTheCellsAskedForWithValidChanges() {
    List<List<Change>> calls = DemoChanges.calls(5, 10_000, 7L);
    ChangeValidator validator =
        new ChangeValidator(
            DemoChanges.portfolio(), new VirtualTime(Instant.parse("2026-12-31T08:00:00Z")));

    assertThat(calls).hasSize(5);
    for (List<Change> call : calls) {
      assertThat(call.stream().mapToInt(DemoChanges::cells).sum()).isEqualTo(10_000);
      assertThat(validator.validate(call)).isEmpty();
    }
  }

  @Test
  void mixesRatesAvailabilityAndRestrictionsOverRangesAndIsSeeded() {
    List<Change> call = DemoChanges.calls(1, 10_000, 7L).get(0);

    assertThat(call).anyMatch(c -> c.rate() != null && c.availability() == null);
    assertThat(call).anyMatch(c -> c.availability() != null && c.ratePlan() == null);
    assertThat(call).anyMatch(c -> c.restrictions() != null && c.rate() == null);
    assertThat(call).anyMatch(c -> c.to().isAfter(c.from().plusDays(29)));
    assertThat(call).anyMatch(c -> c.to().equals(c.from()));
    assertThat(DemoChanges.calls(1, 10_000, 7L).get(0)).isEqualTo(call);
    assertThat(DemoChanges.calls(1, 10_000, 8L).get(0)).isNotEqualTo(call);
  }

  @Test
  void thePortfolioHasTheDemoShape() {
    assertThat(DemoChanges.portfolio().properties()).hasSize(5);
    assertThat(DemoChanges.portfolio().properties())
        .allSatisfy(
            p -> {
              assertThat(p.roomTypes()).hasSize(8);
              assertThat(p.roomTypes()).allSatisfy(r -> assertThat(r.ratePlans()).hasSize(3));
            });
    assertThat(DemoChanges.DISTINCT_CELLS).isEqualTo(5 * 8 * 4 * 365);
  }
}
