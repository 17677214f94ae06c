package dev.paritysync.hotel.reconcile;

/**
 * How much drift of one property on one channel is re-pushed without asking: at most {@code
 * maxCells} drifted cells and at most {@code maxPercent} of the cells compared. Above either, the
 * report is flagged for review and nothing is pushed until a person approves it. Defaults ({@link
 * #DEFAULTS}): 50 cells, 5 %. Immutable.
 *
 * @param maxCells the most drifted cells re-pushed automatically, ≥ 0 (0 disables auto-correct)
 * @param maxPercent the highest drift, in % of the cells compared, re-pushed automatically, 0–100
 */
public record Thresholds(int maxCells, double maxPercent) {
  /** 50 cells, 5 %. */
  public static final Thresholds DEFAULTS = new Thresholds(50, 5.0);

  public Thresholds {
    if (maxCells < 0) {
      throw new IllegalArgumentException(
          "reconciliation.autoCorrect.maxCells must be ≥ 0, was " + maxCells);
    }
    if (!(maxPercent >= 0 && maxPercent <= 100)) {
      throw new IllegalArgumentException(
          "reconciliation.autoCorrect.maxPercent must be between 0 and 100, was " + maxPercent);
    }
  }

  /**
   * Whether {@code cells} drifted cells, {@code percent} % of those compared, may go without a
   * review.
   */
  public boolean allows(int cells, double percent) {
    return cells <= maxCells && percent <= maxPercent;
  }
}
