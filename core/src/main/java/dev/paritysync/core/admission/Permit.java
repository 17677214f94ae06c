package dev.paritysync.core.admission;

import dev.paritysync.core.quota.QuotaKey;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What an admitted request holds: a quota token of its key, the circuit's permission and, when the
 * gate limits concurrency, a slot. Give it back exactly once — {@link AdmissionGate#learn} with the
 * answer, or {@link AdmissionGate#unsent} when the request did not go; a second give-back does
 * nothing. Thread-safe.
 */
public final class Permit {
  private final QuotaKey key;
  private final Circuit.Pass pass;
  private final boolean slot;
  private final AtomicBoolean open = new AtomicBoolean(true);

  Permit(QuotaKey key, Circuit.Pass pass, boolean slot) {
    this.key = key;
    this.pass = pass;
    this.slot = slot;
  }

  /** The key whose token this permit holds. */
  public QuotaKey key() {
    return key;
  }

  /** Whether the request is the one probe of an open (cluster's) circuit. */
  public boolean probe() {
    return pass.probe();
  }

  /** Whether it is still to be given back. */
  public boolean open() {
    return open.get();
  }

  Circuit.Pass pass() {
    return pass;
  }

  boolean holdsSlot() {
    return slot;
  }

  /** Marks it given back; false when it already was. */
  boolean close() {
    return open.compareAndSet(true, false);
  }

  @Override
  public String toString() {
    return "Permit[" + key + (pass.probe() ? ", probe" : "") + (open() ? "" : ", given back") + "]";
  }
}
