package dev.paritysync.app.admin;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a list, in the list's order (queue items oldest first, reconciliation reports newest
 * first). Immutable: the items are copied.
 *
 * @param items the page's items
 * @param nextCursor the cursor of the next page, or null when this page is the last
 */
public record Page<T>(List<T> items, @Nullable String nextCursor) {
  /** Copies {@code items}. */
  public Page {
    items = List.copyOf(items);
  }
}
