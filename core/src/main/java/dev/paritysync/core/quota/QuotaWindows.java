package dev.paritysync.core.quota;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The windows of one quota key — kept in memory by {@link Quotas}, in a {@code cluster_quotas} row
 * by the cluster's gate — and their text form {@code
 * tokens:capacity:periodMillis:startMillis:anchored:phaseMillis} per window ({@code anchored} 1 or
 * 0; rows written before it existed have four fields and read as anchored, rows written before
 * {@code phase} existed read it as the window's {@linkplain #guard guard}), {@code ';'}-joined in
 * configured order (empty: unlimited). Mutable and not thread-safe: confined to the lock (or the
 * transaction) that guards its key.
 *
 * <p><b>Anchoring.</b> A channel counts a window from the arrival of the first request in it, which
 * we never see: it lies somewhere between our take and the answer. A new window starts
 * provisionally a {@linkplain #guard guard} after the take that opened it and is
 * <em>unanchored</em> until a request of the key is answered; the first answer moves its start to
 * the answer's instant if that is later ({@link #anchor}). From then on ours refills no sooner than
 * the channel's, whatever the first request's transit was (a cold start, a stalled commit, a
 * saturated machine), so a request sent the instant ours refills cannot meet the channel's spent
 * window. Anchoring only ever delays a refill, once per window's life: capacity per period is
 * unchanged.
 *
 * <p><b>Phase.</b> Anchored, our window starts at most {@code phase} milliseconds after the
 * channel's (from the take that opened it to the answer that anchored it, or the guard): a request
 * that ended less than {@code phase} before our boundary may have arrived after the channel's, so
 * it counts in our next window too, as does one still open at the boundary ({@link QuotaFlights}).
 */
public final class QuotaWindows {
  private final List<Window> windows;

  /** The most a new window's start is set after the take that opened it, by default. */
  public static final long MAX_GUARD_MILLIS = 1_000;

  private QuotaWindows(List<Window> windows) {
    this.windows = windows;
  }

  /**
   * How far after the first take a window starts until it is {@linkplain #anchor anchored}: a tenth
   * of its period, at most {@code maxGuard} milliseconds (by default {@value #MAX_GUARD_MILLIS}).
   * It covers a short transit for a window whose opening request is never answered (a timeout after
   * the channel counted it); the answer's anchor covers any transit.
   */
  public static long guard(long periodMillis, long maxGuard) {
    return Math.min(maxGuard, periodMillis / 10);
  }

  /** Every configured window full, starting {@link #guard} after {@code now}. */
  public static QuotaWindows full(List<QuotaLimit> limits, long now, long maxGuard) {
    List<Window> ws = new ArrayList<>(limits.size());
    for (QuotaLimit l : limits) {
      long period = l.period().toMillis();
      long guard = guard(period, maxGuard);
      ws.add(new Window(l.capacity(), l.capacity(), period, now + guard, false, guard));
    }
    return new QuotaWindows(ws);
  }

  /**
   * Parses the text form.
   *
   * @param where what holds the text, for the error (e.g. {@code "cluster_quotas row for " + key})
   * @throws IllegalStateException naming {@code where} and the text when it is malformed
   */
  public static QuotaWindows decode(String text, String where) {
    List<Window> ws = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return new QuotaWindows(ws);
    }
    for (String part : text.split(";", -1)) {
      String[] f = part.split(":", -1);
      try {
        if (f.length < 4 || f.length > 6) {
          throw new NumberFormatException("expected 4 to 6 fields, found " + f.length);
        }
        if (f.length >= 5 && !f[4].equals("0") && !f[4].equals("1")) {
          throw new NumberFormatException("anchored must be 0 or 1, was '" + f[4] + "'");
        }
        long period = Long.parseLong(f[2]);
        Window w =
            new Window(
                Long.parseLong(f[0]),
                Long.parseLong(f[1]),
                period,
                Long.parseLong(f[3]),
                f.length == 4 || f[4].equals("1"),
                f.length == 6 ? Long.parseLong(f[5]) : guard(period, MAX_GUARD_MILLIS));
        if (w.capacity < 1
            || w.period < 1
            || w.tokens < 0
            || w.tokens > w.capacity
            || w.phase < 0) {
          throw new NumberFormatException("out of range");
        }
        ws.add(w);
      } catch (NumberFormatException e) {
        throw new IllegalStateException(
            where
                + " has malformed windows '"
                + text
                + "' (expected tokens:capacity:periodMillis:startMillis:anchored:phaseMillis;...): "
                + e.getMessage(),
            e);
      }
    }
    return new QuotaWindows(ws);
  }

  /**
   * The windows of {@code limits} in their order: a stored window of the same capacity and period
   * keeps its tokens, start and anchoring, a window not stored yet starts full and unanchored (at
   * {@code now} plus its {@linkplain #guard guard}), and stored windows no longer configured are
   * dropped.
   */
  public QuotaWindows reconcile(List<QuotaLimit> limits, long now, long maxGuard) {
    List<Window> left = new ArrayList<>(windows);
    List<Window> out = new ArrayList<>(limits.size());
    for (QuotaLimit l : limits) {
      long period = l.period().toMillis();
      Window match = null;
      for (Window w : left) {
        if (w.capacity == l.capacity() && w.period == period) {
          match = w;
          break;
        }
      }
      if (match != null) {
        left.remove(match);
        out.add(match);
      } else {
        long guard = guard(period, maxGuard);
        out.add(new Window(l.capacity(), l.capacity(), period, now + guard, false, guard));
      }
    }
    return new QuotaWindows(out);
  }

  /**
   * Expires the takes of {@code flights} older than {@code maxInFlight}, refills every window whose
   * period has passed since its start, less the requests {@code flights} says it must still count
   * ({@link QuotaFlights#carried}), then forgets ends no window needs. Returns this.
   */
  public QuotaWindows refill(long now, long maxGuard, long maxInFlight, QuotaFlights flights) {
    flights.expire(now, maxInFlight, this);
    for (Window w : windows) {
      if (now < w.start - w.phase) {
        // wall time stepped back: restart the window here with what it has, granting nothing;
        // its phase against the channel's is unknown again until an answer anchors it
        long guard = guard(w.period, maxGuard);
        w.start = now + guard;
        w.phase = guard;
        w.anchored = false;
      } else if (now - w.start >= w.period) {
        w.start += (now - w.start) / w.period * w.period;
        w.tokens = Math.max(0, w.capacity - flights.carried(w.start, w.phase));
      }
    }
    flights.prune(this);
    return this;
  }

  /**
   * Whether a request ending at {@code at} may still count in a window's next refill: it ends less
   * than the window's phase before that window's next boundary, or after it.
   */
  public boolean nearBoundary(long at) {
    for (Window w : windows) {
      if (at >= w.start + w.period - w.phase) {
        return true;
      }
    }
    return false;
  }

  /**
   * A request taken here ended at {@code now}: it leaves {@code flights}, and when {@code answered}
   * anchors the windows ({@link #anchor}) first. Returns whether anything changed.
   */
  public boolean release(long now, boolean answered, QuotaFlights flights) {
    boolean changed = answered && anchor(now);
    return flights.end(now, this) | changed;
  }

  /**
   * A request of this key was answered at {@code answeredMillis}, so the channel's window that
   * counted it started before then: every unanchored window starts no sooner than that instant and
   * is anchored. Returns whether anything changed.
   */
  public boolean anchor(long answeredMillis) {
    boolean changed = false;
    for (Window w : windows) {
      if (!w.anchored) {
        long start = Math.max(w.start, answeredMillis);
        // from the take that opened the window (start - phase) to its anchored start; beyond a
        // period the channel's boundary could be anywhere, and a period of carry covers that
        w.phase = Math.min(w.period, w.phase + start - w.start);
        w.start = start;
        w.anchored = true;
        changed = true;
      }
    }
    return changed;
  }

  /** Whether every window is anchored (true when there are none). */
  public boolean anchored() {
    for (Window w : windows) {
      if (!w.anchored) {
        return false;
      }
    }
    return true;
  }

  /** Milliseconds until every window holds {@code tokens}; 0 when they do now. Refill first. */
  public long waitFor(long tokens, long now) {
    long wait = 0;
    for (Window w : windows) {
      if (w.tokens < tokens) {
        wait = Math.max(wait, w.start + w.period - now);
      }
    }
    return wait;
  }

  /**
   * Takes {@code tokens} from every window and records each as a request in flight since {@code
   * now}; the caller checked {@link #waitFor} is 0.
   */
  public void take(long tokens, long now, QuotaFlights flights) {
    for (long i = 0; i < tokens; i++) {
      flights.take(now);
    }
    for (Window w : windows) {
      w.tokens -= tokens;
    }
  }

  /** The fewest tokens over the windows; -1 when unlimited. */
  public long available() {
    long min = -1;
    for (Window w : windows) {
      min = min < 0 ? w.tokens : Math.min(min, w.tokens);
    }
    return min;
  }

  /** The tokens each window has now, in the order of {@link #limits}. */
  public List<Long> left() {
    List<Long> out = new ArrayList<>(windows.size());
    for (Window w : windows) {
      out.add(w.tokens);
    }
    return out;
  }

  /**
   * The windows as limits.
   *
   * @param where what holds the windows, for the error
   * @throws IllegalStateException naming {@code where} when a stored window is not a valid limit
   */
  public List<QuotaLimit> limits(String where) {
    List<QuotaLimit> out = new ArrayList<>(windows.size());
    for (Window w : windows) {
      try {
        out.add(new QuotaLimit(w.capacity, Duration.ofMillis(w.period)));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(where + " holds an invalid window: " + e.getMessage(), e);
      }
    }
    return out;
  }

  public String encode() {
    StringBuilder b = new StringBuilder();
    for (Window w : windows) {
      if (b.length() > 0) {
        b.append(';');
      }
      b.append(w.tokens).append(':').append(w.capacity).append(':');
      b.append(w.period).append(':').append(w.start).append(':').append(w.anchored ? 1 : 0);
      b.append(':').append(w.phase);
    }
    return b.toString();
  }

  private static final class Window {
    long tokens;
    final long capacity;
    final long period;
    long start;
    boolean anchored;
    long phase;

    Window(long tokens, long capacity, long period, long start, boolean anchored, long phase) {
      this.tokens = tokens;
      this.capacity = capacity;
      this.period = period;
      this.start = start;
      this.anchored = anchored;
      this.phase = phase;
    }
  }
}
