package dev.paritysync.royalty;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunSummaryTest {
  private static final Delivery D = new Delivery("s", "00", null);

  @Test
  void printsCountsAndTheSchemaRejectionRate() {
    RunSummary s = new RunSummary(8, 6, 2, 3, D);
    assertThat(s.rejectionRate()).isEqualTo(0.25);
    assertThat(s)
        .hasToString("rows 8, valid 6, dead letters 2, rejection 25.00%, format warnings 3");
  }

  @Test
  void anEmptyRunRejectsNothing() {
    assertThat(new RunSummary(0, 0, 0, 0, D).rejectionRate()).isZero();
  }
}
