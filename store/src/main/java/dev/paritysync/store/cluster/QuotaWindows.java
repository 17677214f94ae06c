package dev.paritysync.store.cluster;

import dev.paritysync.core.quota.QuotaKey;
import dev.paritysync.core.quota.QuotaLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The windows of one {@code cluster_quotas} row, as {@code
 * tokens:capacity:periodMillis:startMillis} per window, {@code ';'}-joined in configured order
 * (empty: unlimited). Mutable; confined to the transaction that read the row.
 */
final class QuotaWindows {
  private final List<Window> windows;

  /** The most a new window's start is set after the take that opened it, by default. */
  static final long MAX_GUARD_MILLIS = 1_000;

  private QuotaWindows(List<Window> windows) {
    this.windows = windows;
  }

  /**
   * How far after the first take a window starts: a tenth of its period, at most {@code maxGuard}
   * milliseconds (by default {@value #MAX_GUARD_MILLIS}). A channel that counts its own window from
   * the arrival of the first request starts it a little after we took the token; starting ours
   * later by more than that transit makes ours refill no sooner than the channel's — else a request
   * sent the instant ours refills could arrive while the channel's window is still spent (a 429 the
   * channel never announced when its answer that said {@code Remaining: 0} was lost). It shifts the
   * windows' phase; capacity per period is unchanged.
   */
  static long guard(long periodMillis, long maxGuard) {
    return Math.min(maxGuard, periodMillis / 10);
  }

  /** Every configured window full, starting {@link #guard} after {@code now}. */
  static QuotaWindows full(List<QuotaLimit> limits, long now, long maxGuard) {
    List<Window> ws = new ArrayList<>(limits.size());
    for (QuotaLimit l : limits) {
      long period = l.period().toMillis();
      ws.add(new Window(l.capacity(), l.capacity(), period, now + guard(period, maxGuard)));
    }
    return new QuotaWindows(ws);
  }

  /**
   * Parses a row's column.
   *
   * @throws IllegalStateException naming the key and the text when it is malformed
   */
  static QuotaWindows decode(String text, QuotaKey key) {
    List<Window> ws = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return new QuotaWindows(ws);
    }
    for (String part : text.split(";", -1)) {
      String[] f = part.split(":", -1);
      try {
        if (f.length != 4) {
          throw new NumberFormatException("expected 4 fields, found " + f.length);
        }
        Window w =
            new Window(
                Long.parseLong(f[0]),
                Long.parseLong(f[1]),
                Long.parseLong(f[2]),
                Long.parseLong(f[3]));
        if (w.capacity < 1 || w.period < 1 || w.tokens < 0 || w.tokens > w.capacity) {
          throw new NumberFormatException("out of range");
        }
        ws.add(w);
      } catch (NumberFormatException e) {
        throw new IllegalStateException(
            "cluster_quotas row for "
                + key
                + " has malformed windows '"
                + text
                + "' (expected tokens:capacity:periodMillis:startMillis;...): "
                + e.getMessage(),
            e);
      }
    }
    return new QuotaWindows(ws);
  }

  /**
   * The windows of {@code limits} in their order: a stored window of the same capacity and period
   * keeps its tokens and start, a window not stored yet starts full (at {@code now} plus its
   * {@linkplain #guard guard}), and stored windows no longer configured are dropped.
   */
  QuotaWindows reconcile(List<QuotaLimit> limits, long now, long maxGuard) {
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
        out.add(new Window(l.capacity(), l.capacity(), period, now + guard(period, maxGuard)));
      }
    }
    return new QuotaWindows(out);
  }

  /** Refills every window whose period has passed since its start; returns this. */
  QuotaWindows refill(long now, long maxGuard) {
    for (Window w : windows) {
      if (now < w.start - guard(w.period, maxGuard)) {
        // wall time stepped back: restart the window here with what it has, granting nothing
        w.start = now + guard(w.period, maxGuard);
      } else if (now - w.start >= w.period) {
        w.start += (now - w.start) / w.period * w.period;
        w.tokens = w.capacity;
      }
    }
    return this;
  }

  /** Milliseconds until every window holds {@code tokens}; 0 when they do now. Refill first. */
  long waitFor(long tokens, long now) {
    long wait = 0;
    for (Window w : windows) {
      if (w.tokens < tokens) {
        wait = Math.max(wait, w.start + w.period - now);
      }
    }
    return wait;
  }

  /** Takes {@code tokens} from every window; the caller checked {@link #waitFor} is 0. */
  void take(long tokens) {
    for (Window w : windows) {
      w.tokens -= tokens;
    }
  }

  /** The fewest tokens over the windows; -1 when unlimited. */
  long available() {
    long min = -1;
    for (Window w : windows) {
      min = min < 0 ? w.tokens : Math.min(min, w.tokens);
    }
    return min;
  }

  /**
   * The windows as limits.
   *
   * @throws IllegalStateException naming the key when a stored window is not a valid limit
   */
  List<QuotaLimit> limits(QuotaKey key) {
    List<QuotaLimit> out = new ArrayList<>(windows.size());
    for (Window w : windows) {
      try {
        out.add(new QuotaLimit(w.capacity, Duration.ofMillis(w.period)));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(
            "cluster_quotas row for " + key + " holds an invalid window: " + e.getMessage(), e);
      }
    }
    return out;
  }

  String encode() {
    StringBuilder b = new StringBuilder();
    for (Window w : windows) {
      if (b.length() > 0) {
        b.append(';');
      }
      b.append(w.tokens).append(':').append(w.capacity).append(':');
      b.append(w.period).append(':').append(w.start);
    }
    return b.toString();
  }

  private static final class Window {
    long tokens;
    final long capacity;
    final long period;
    long start;

    Window(long tokens, long capacity, long period, long start) {
      this.tokens = tokens;
      this.capacity = capacity;
      this.period = period;
      this.start = start;
    }
  }
}
