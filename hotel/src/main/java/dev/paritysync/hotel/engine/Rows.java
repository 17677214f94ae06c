package dev.paritysync.hotel.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.hotel.ari.CellValues;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.ari.Restrictions;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** JDBC and JSON helpers shared by the engine's classes. */
final class Rows {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The truth columns holding a cell's values, in the order {@link #setValues} binds them. */
  static final String VALUE_COLUMNS =
      "rate, currency, availability, min_los, max_los, closed, closed_to_arrival,"
          + " closed_to_departure";

  private Rows() {}

  /** A room-type cell has no rate plan; its key stores {@code ''}. */
  static String planKey(@Nullable String ratePlan) {
    return ratePlan == null ? "" : ratePlan;
  }

  static @Nullable String planOf(String key) {
    return key.isEmpty() ? null : key;
  }

  /** Binds the eight value columns from {@code index} on; returns the next index. */
  static int setValues(PreparedStatement ps, int index, CellValues v) throws SQLException {
    Rate rate = v.rate();
    Restrictions r = v.restrictions() == null ? Restrictions.none() : v.restrictions();
    setString(ps, index++, rate == null ? null : rate.amount().toPlainString());
    setString(ps, index++, rate == null ? null : rate.currency());
    setInt(ps, index++, v.availability());
    setInt(ps, index++, r.minLos());
    setInt(ps, index++, r.maxLos());
    setInt(ps, index++, bit(r.closed()));
    setInt(ps, index++, bit(r.closedToArrival()));
    setInt(ps, index++, bit(r.closedToDeparture()));
    return index;
  }

  /** Reads the eight value columns written by {@link #setValues}. */
  static CellValues values(ResultSet rs) throws SQLException {
    String amount = rs.getString("rate");
    Rate rate = amount == null ? null : new Rate(new BigDecimal(amount), rs.getString("currency"));
    Restrictions r =
        new Restrictions(
            integer(rs, "min_los"),
            integer(rs, "max_los"),
            bool(rs, "closed"),
            bool(rs, "closed_to_arrival"),
            bool(rs, "closed_to_departure"));
    return new CellValues(rate, integer(rs, "availability"), r.isEmpty() ? null : r);
  }

  static String json(Object value, String what) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + what + " as JSON", e);
    }
  }

  static Map<String, Object> readMap(String text, String what) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = JSON.readValue(text, Map.class);
      return map;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot read " + what + ": " + e.getOriginalMessage(), e);
    }
  }

  static void setString(PreparedStatement ps, int index, @Nullable String value)
      throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, value);
    }
  }

  static void setInt(PreparedStatement ps, int index, @Nullable Integer value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.INTEGER);
    } else {
      ps.setInt(index, value);
    }
  }

  static @Nullable Integer integer(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  static @Nullable Long longOrNull(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static @Nullable Boolean bool(ResultSet rs, String column) throws SQLException {
    Integer v = integer(rs, column);
    return v == null ? null : v != 0;
  }

  private static @Nullable Integer bit(@Nullable Boolean b) {
    return b == null ? null : b ? 1 : 0;
  }
}
