package dev.paritysync.app.escalation;

import java.time.Instant;
import java.util.List;

/** What escalation watches: every condition over its threshold now. */
@FunctionalInterface
interface Conditions {
  /**
   * The conditions that hold at {@code now}, over their thresholds, at most one per condition and
   * channel.
   */
  List<Observation> observe(Instant now);
}
