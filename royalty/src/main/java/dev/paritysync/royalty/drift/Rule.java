package dev.paritysync.royalty.drift;

import java.util.Locale;

/** The drift rules, in the order reports list them. See {@code docs/royalty.md}, "Drift". */
public enum Rule {
  /** An ISRC the catalog does not list. */
  UNKNOWN_ISRC,
  /** A known ISRC on a known UPC that the catalog never links to it. */
  UPC_MISMATCH,
  /** Revenue per stream outside median ± k·MAD of the trailing periods. */
  REVENUE_PER_STREAM,
  /** Streams (quantity above 0) with an amount of 0 on a sale the row does not explain. */
  ZERO_REVENUE,
  /** Revenue with a quantity of 0 on a sale the row does not explain. */
  ZERO_STREAMS,
  /** Quantity per ISRC and territory far above the median of previous periods. */
  VOLUME_JUMP;

  /** The name reports use, e.g. {@code unknown_isrc}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The rule named {@code id} ({@link #id()} form, case ignored). */
  static Rule ofId(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }
}
