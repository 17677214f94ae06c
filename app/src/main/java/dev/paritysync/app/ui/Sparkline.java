package dev.paritysync.app.ui;

import java.util.List;
import java.util.Locale;

/**
 * A sparkline drawn by the server as the points of an SVG polyline in a {@value #WIDTH} by {@value
 * #HEIGHT} view box: no script, no inline style. Immutable.
 *
 * @param points {@code x,y} pairs separated by spaces, oldest value leftmost
 * @param max the largest value, which touches the top; 0 when every value is 0 (a flat line at the
 *     bottom)
 * @param total the sum of the values
 */
record Sparkline(String points, long max, long total) {
  /** The view box's width. */
  static final int WIDTH = 118;

  /** The view box's height; values are drawn between 1 and {@code HEIGHT - 1}. */
  static final int HEIGHT = 24;

  /** The sparkline of {@code values}, evenly spaced over the width. */
  static Sparkline of(List<Long> values) {
    long max = 0;
    long total = 0;
    for (long v : values) {
      max = Math.max(max, v);
      total += v;
    }
    StringBuilder b = new StringBuilder();
    int n = values.size();
    for (int i = 0; i < n; i++) {
      double x = n == 1 ? 0 : i * (double) WIDTH / (n - 1);
      double y = (HEIGHT - 1) - (max == 0 ? 0 : values.get(i) * (HEIGHT - 2.0) / max);
      if (i > 0) {
        b.append(' ');
      }
      b.append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
    }
    return new Sparkline(b.toString(), max, total);
  }
}
