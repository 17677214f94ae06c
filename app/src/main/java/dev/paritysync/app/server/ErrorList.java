package dev.paritysync.app.server;

import dev.paritysync.core.classify.FieldError;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;

/**
 * Field errors as a list that keeps the first {@code max} and counts the rest, so a body of 100,000
 * bad entries costs a count, not 400,000 messages. Not thread-safe.
 */
final class ErrorList extends AbstractList<FieldError> {
  private final int max;
  private final List<FieldError> kept = new ArrayList<>();
  private int total;

  ErrorList(int max) {
    this.max = max;
  }

  @Override
  public boolean add(FieldError e) {
    total++;
    if (kept.size() < max) {
      kept.add(e);
    }
    return true;
  }

  @Override
  public FieldError get(int index) {
    return kept.get(index);
  }

  /** The errors kept: at most {@code max}. */
  @Override
  public int size() {
    return kept.size();
  }

  /** Every error added, kept or not. */
  int total() {
    return total;
  }
}
