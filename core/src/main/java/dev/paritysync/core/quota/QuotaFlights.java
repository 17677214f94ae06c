package dev.paritysync.core.quota;

import java.util.ArrayList;
import java.util.List;

/**
 * The requests of one quota key that took a token and whose end still matters to the next refill
 * (in memory in {@link Quotas}; column {@code flights} of {@code cluster_quotas} in the cluster):
 * {@code open} take instants (requests not yet ended, oldest first) and {@code ended} end instants
 * near a window's boundary, written {@code "t1,t2,...|e1,e2,..."} in milliseconds of the gate's
 * time (empty: none). Mutable and not thread-safe: confined to the lock (or the transaction) that
 * guards its key.
 *
 * <p><b>Why a request carries into the next window.</b> The channel counts a request in the window
 * its arrival falls in, and the arrival lies anywhere between our take and the request's end. A
 * request taken near the end of our window may arrive after the channel's next window began; were
 * our next window to refill whole, the channel's would receive its capacity plus that request — a
 * 429, and more than the quota. So a window refills with its capacity less every request that was
 * still open at its boundary or ended less than the window's phase uncertainty before it (see
 * {@link QuotaWindows}): each request counts in every window its arrival could fall in. Requests
 * are fungible here, so an end removes the oldest open take; a take whose end never comes (its
 * process died) is dropped after {@code maxInFlight} and then counts as ended at that instant. No
 * library keeps such per-request windows (Bucket4j counts tokens, not requests in flight), so this
 * class does.
 */
public final class QuotaFlights {
  private final List<Long> open;
  private final List<Long> ended;

  private QuotaFlights(List<Long> open, List<Long> ended) {
    this.open = open;
    this.ended = ended;
  }

  /** No request in flight and no end kept. */
  public static QuotaFlights none() {
    return new QuotaFlights(new ArrayList<>(), new ArrayList<>());
  }

  /**
   * Parses the text form (null or empty: none).
   *
   * @param where what holds the text, for the error (e.g. {@code "cluster_quotas row for " + key})
   * @throws IllegalStateException naming {@code where} and the text when it is malformed
   */
  public static QuotaFlights decode(String text, String where) {
    if (text == null || text.isEmpty()) {
      return none();
    }
    int bar = text.indexOf('|');
    try {
      if (bar < 0 || text.indexOf('|', bar + 1) >= 0) {
        throw new NumberFormatException("expected one '|'");
      }
      return new QuotaFlights(longs(text.substring(0, bar)), longs(text.substring(bar + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalStateException(
          where
              + " has malformed flights '"
              + text
              + "' (expected takeMillis,...|endMillis,...): "
              + e.getMessage(),
          e);
    }
  }

  private static List<Long> longs(String csv) {
    List<Long> out = new ArrayList<>();
    if (!csv.isEmpty()) {
      for (String s : csv.split(",", -1)) {
        out.add(Long.parseLong(s));
      }
    }
    return out;
  }

  /** A request took a token at {@code now}. */
  public void take(long now) {
    int i = open.size();
    while (i > 0 && open.get(i - 1) > now) {
      i--; // another worker's clock may be a little behind: keep the takes oldest first
    }
    open.add(i, now);
  }

  /**
   * A request ended at {@code now} (answered, failed, or never sent): the oldest open take leaves;
   * its end is kept when {@code windows} still need it ({@link QuotaWindows#nearBoundary}). Returns
   * whether anything changed (false when nothing was open: its take already expired).
   */
  public boolean end(long now, QuotaWindows windows) {
    if (open.isEmpty()) {
      return false;
    }
    open.remove(0);
    if (windows.nearBoundary(now)) {
      ended.add(now);
    }
    return true;
  }

  /** Drops open takes older than {@code maxInFlight}: each counts as ended when it expired. */
  public void expire(long now, long maxInFlight, QuotaWindows windows) {
    while (!open.isEmpty() && now - open.get(0) > maxInFlight) {
      long at = open.remove(0) + maxInFlight;
      if (windows.nearBoundary(at)) {
        ended.add(at);
      }
    }
  }

  /**
   * The requests a window whose boundary is {@code boundary} must count: taken before it and open
   * now, or ended at or after {@code boundary - phase}.
   */
  public long carried(long boundary, long phase) {
    long n = 0;
    for (long t : open) {
      if (t < boundary) {
        n++;
      }
    }
    for (long e : ended) {
      if (e >= boundary - phase) {
        n++;
      }
    }
    return n;
  }

  /** Forgets ends no window needs any more ({@link QuotaWindows#nearBoundary}). */
  public void prune(QuotaWindows windows) {
    ended.removeIf(e -> !windows.nearBoundary(e));
  }

  /** Requests open now. */
  public int openCount() {
    return open.size();
  }

  public String encode() {
    if (open.isEmpty() && ended.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    join(b, open);
    b.append('|');
    join(b, ended);
    return b.toString();
  }

  private static void join(StringBuilder b, List<Long> values) {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(values.get(i));
    }
  }
}
