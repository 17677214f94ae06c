package dev.paritysync.app.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.store.Database;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The overview's numbers over time, read from the ledger, so every worker on one database sees the
 * same: requests per minute, a count per minute for the last hour, and the
 * change-to-acknowledgement latency's p50 and p95. Each is an index range of {@code ledger
 * (channel, kind, at)}, bounded to the last hour and, for latencies, to the newest {@link
 * #MAX_LATENCIES}. Stateless.
 */
final class LiveStats {
  /** How far back the sparkline and the latencies look. */
  static final Duration WINDOW = Duration.ofHours(1);

  /** Minutes in {@link #WINDOW}: the sparkline's points. */
  static final int MINUTES = 60;

  /** The most acknowledgements the percentiles are taken over (the newest of the window). */
  static final int MAX_LATENCIES = 1_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private LiveStats() {}

  /**
   * One channel's numbers.
   *
   * @param perMinute requests (delivery attempts) per minute, oldest first, {@link #MINUTES} of
   *     them; the last is the minute up to now
   * @param p50Millis the median change-to-acknowledgement latency in the window, or null when no
   *     acknowledgement in it carries one
   * @param p95Millis its 95th percentile, or null likewise
   * @param latencies how many acknowledgements the percentiles were taken over
   */
  record Stats(
      List<Long> perMinute, @Nullable Long p50Millis, @Nullable Long p95Millis, int latencies) {
    /** Requests in the minute up to now. */
    long requestsPerMinute() {
      return perMinute.get(perMinute.size() - 1);
    }
  }

  /** The numbers of {@code channels} as of {@code now}, by channel, in the order given. */
  static Map<String, Stats> read(Database db, List<String> channels, Instant now) {
    return db.read(
        c -> {
          Map<String, Stats> out = new LinkedHashMap<>();
          for (String ch : channels) {
            List<Long> latencies = latencies(c, ch, now);
            out.put(
                ch,
                new Stats(
                    perMinute(c, ch, now),
                    percentile(latencies, 50),
                    percentile(latencies, 95),
                    latencies.size()));
          }
          return out;
        });
  }

  /**
   * Attempts per minute in the hour up to {@code now}: minute i covers [start + i, start + i + 1).
   */
  private static List<Long> perMinute(Connection c, String channel, Instant now)
      throws SQLException {
    long end = now.toEpochMilli();
    long start = end - WINDOW.toMillis();
    long[] counts = new long[MINUTES];
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT (at - ?) / 60000, COUNT(*) FROM ledger WHERE channel = ? AND kind = 'attempt'"
                + " AND at > ? AND at <= ? GROUP BY 1")) {
      ps.setLong(1, start + 1);
      ps.setString(2, channel);
      ps.setLong(3, start);
      ps.setLong(4, end);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int minute = (int) Math.min(MINUTES - 1, Math.max(0, rs.getLong(1)));
          counts[minute] += rs.getLong(2);
        }
      }
    }
    List<Long> out = new ArrayList<>(MINUTES);
    for (long n : counts) {
      out.add(n);
    }
    return out;
  }

  /** The change-to-acknowledgement latencies of the newest acknowledgements of the window. */
  private static List<Long> latencies(Connection c, String channel, Instant now)
      throws SQLException {
    long end = now.toEpochMilli();
    List<Long> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT attributes FROM ledger WHERE channel = ? AND kind = 'batch.acknowledged'"
                + " AND at > ? AND at <= ? ORDER BY at DESC LIMIT "
                + MAX_LATENCIES)) {
      ps.setString(1, channel);
      ps.setLong(2, end - WINDOW.toMillis());
      ps.setLong(3, end);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          JsonNode millis = attributes(rs.getString(1)).get("changeToAckMillis");
          if (millis != null && millis.canConvertToLong()) {
            out.add(millis.asLong());
          }
        }
      }
    }
    Collections.sort(out);
    return out;
  }

  private static JsonNode attributes(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException(
          "a batch.acknowledged ledger entry holds attributes that are not JSON: " + e.getMessage(),
          e);
    }
  }

  /** The nearest-rank {@code p}th percentile of {@code sorted}, or null when it is empty. */
  static @Nullable Long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return null;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
