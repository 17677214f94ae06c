package dev.paritysync.royalty;

/**
 * What a report line says it is. Only {@link #RETURN}, {@link #ADJUSTMENT} and {@link #FEE} lines
 * may carry negative quantities or amounts; a negative value on a {@link #SALE} is a dead letter.
 */
public enum SaleType {
  /** An ordinary sale or usage; the default when a source has no marker column. */
  SALE,
  /** A refund or returned sale (Apple's {@code R}). */
  RETURN,
  /** A correction of an earlier report. */
  ADJUSTMENT,
  /** A fee withheld by the service or distributor. */
  FEE;

  /** True when negative quantities and amounts are legal for this kind of line. */
  public boolean allowsNegative() {
    return this != SALE;
  }
}
