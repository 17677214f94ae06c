package dev.paritysync.core.admission;

/** Why the {@link AdmissionGate} said "not now", in the order it asks its gates. */
public enum Reason {
  /** A retry the retry budget refused: retries are over their share of requests. */
  BUDGET("retry_budget"),
  /** Every concurrency slot of the channel is taken. */
  CONCURRENCY("concurrency"),
  /** The circuit is open, or its probes are all out. */
  CIRCUIT("circuit_open"),
  /** The channel announced a wait (Retry-After, or {@code Remaining: 0} with a reset). */
  PAUSE("pause"),
  /** A quota window has no token left. */
  QUOTA("quota");

  private final String code;

  Reason(String code) {
    this.code = code;
  }

  /** The stable name of the reason, as ledgers and logs write it. */
  public String code() {
    return code;
  }

  /**
   * The gate that refused, as the ledger's {@code batch.deferred} entries have always named it: a
   * pause is the quota gate's, so {@link #PAUSE} is {@code quota} here.
   */
  public String gate() {
    return this == PAUSE ? QUOTA.code : code;
  }
}
