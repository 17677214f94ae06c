package dev.paritysync.app.admin;

import java.util.List;

/**
 * One page of a list, in the list's order (queue items oldest first, reconciliation reports newest
 * first).
 *
 * @param items the page's items
 * @param nextCursor the cursor of the next page, or null when this page is the last
 */
public record Page<T>(List<T> items, String nextCursor) {
  public Page {
    items = List.copyOf(items);
  }
}
