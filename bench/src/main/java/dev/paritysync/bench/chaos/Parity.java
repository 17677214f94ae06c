package dev.paritysync.bench.chaos;

import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.CellValue;
import dev.paritysync.sim.SimChannel;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** What the soak checks in the store and on the channel once the load has stopped. */
final class Parity {
  private final Path db;

  Parity(Path db) {
    this.db = db;
  }

  /** Cells not yet acknowledged at their truth version, plus open queue items: 0 when settled. */
  long unsettled() throws SQLException {
    return count(
            "SELECT COUNT(*) FROM ari_outbox WHERE pending_version IS NOT NULL"
                + " OR inflight_version IS NOT NULL")
        + count("SELECT COUNT(*) FROM queue_items WHERE state = 'open'");
  }

  long count(String sql) throws SQLException {
    try (Connection c = readOnly();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Of {@code ids}, those with no row in {@code ari_changes}. */
  List<String> missingChanges(Collection<String> ids) throws SQLException {
    List<String> missing = new ArrayList<>();
    try (Connection c = readOnly();
        PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ari_changes WHERE id = ?")) {
      for (String id : ids) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            missing.add(id);
          }
        }
      }
    }
    return missing;
  }

  /**
   * Every truth cell whose value on {@code sim} differs (rooms and plans map to themselves), and
   * every outbox cell not acknowledged at the truth's version, as readable lines.
   */
  List<String> mismatches(SimChannel sim) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = readOnly();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT property, room_type, rate_plan, date, rate, availability FROM ari_truth");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String plan = rs.getString(3);
        CellKey key =
            new CellKey(
                rs.getString(2), plan.isEmpty() ? null : plan, LocalDate.parse(rs.getString(4)));
        CellValue held = sim.state(rs.getString(1)).get(key);
        String rate = rs.getString(5);
        Integer availability = (Integer) rs.getObject(6);
        boolean same =
            held != null
                && (rate == null
                    ? held.rate() == null
                    : held.rate() != null && new BigDecimal(rate).compareTo(held.rate()) == 0)
                && java.util.Objects.equals(availability, held.availability());
        if (!same && out.size() < 20) {
          out.add(
              rs.getString(1)
                  + " "
                  + key
                  + ": truth "
                  + rate
                  + "/"
                  + availability
                  + ", channel "
                  + held);
        }
      }
    }
    long behind =
        count(
            "SELECT COUNT(*) FROM ari_outbox o JOIN ari_truth t ON t.property = o.property"
                + " AND t.room_type = o.room_type AND t.rate_plan = o.rate_plan AND t.date = o.date"
                + " WHERE o.acked_version IS NULL OR o.acked_version <> t.version");
    if (behind > 0) {
      out.add(behind + " outbox cells not acknowledged at the truth's version");
    }
    return out;
  }

  private Connection readOnly() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro");
  }
}
