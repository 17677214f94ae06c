package dev.paritysync.app.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.store.Database;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /v1/reservations}: the reservation revisions channels delivered (webhooks and polling
 * alike), for the PMS to pull — the default reservation sink is "stored and exposed by the API".
 * Oldest first, by the time they were received; {@code after} takes the {@code nextCursor} of the
 * page before ({@code null} on the last page), {@code limit} is 1 to 1000 (default 100). A cursor
 * names the last revision returned, so revisions that arrive while a client pages never shift a
 * page. Guarded by {@code server.apiToken} when one is configured. Thread-safe: it keeps no state
 * between requests.
 */
public final class ReservationsRoutes implements Routes {
  private static final Set<String> PARAMETERS = Set.of("after", "limit");

  private final Database db;
  private final @Nullable BearerToken token;

  /** Revisions from {@code db}; {@code apiToken} null leaves the endpoint open. */
  public ReservationsRoutes(Database db, @Nullable Secret apiToken) {
    this.db = Objects.requireNonNull(db, "db");
    this.token =
        apiToken == null
            ? null
            : new BearerToken(apiToken, "paritysync", "the PMS API", "server.apiToken");
  }

  @Override
  public void addTo(RoutesConfig app) {
    app.get("/v1/reservations", this::list);
  }

  private record Cursor(long receivedAt, String channel, String reservation, int revision) {
    String encode() {
      String s = receivedAt + "\n" + channel + "\n" + reservation + "\n" + revision;
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String text) {
      try {
        String[] p =
            new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\n", -1);
        return new Cursor(Long.parseLong(p[0]), p[1], p[2], Integer.parseInt(p[3]));
      } catch (RuntimeException e) {
        throw new ProblemException(
            400, "Bad request", "after: not a cursor this API returned: " + text);
      }
    }
  }

  private void list(Context ctx) {
    if (token != null) {
      token.check(ctx);
    }
    for (String name : ctx.queryParamMap().keySet()) {
      if (!PARAMETERS.contains(name)) {
        throw new ProblemException(
            400, "Bad request", name + ": unknown parameter (known: after, limit)");
      }
    }
    int limit = limit(ctx.queryParam("limit"));
    String after = ctx.queryParam("after");
    Cursor from = after == null ? null : Cursor.decode(after);
    ObjectNode doc = ApiServer.JSON.createObjectNode();
    ArrayNode items = doc.putArray("reservations");
    Optional<Cursor> last =
        db.read(
            c -> {
              String sql =
                  "SELECT channel, reservation, revision, property, room_type, arrival, departure,"
                      + " status, received_at, note FROM reservation_revisions"
                      + (from == null
                          ? ""
                          : " WHERE received_at > ? OR (received_at = ? AND (channel > ? OR"
                              + " (channel = ? AND (reservation > ? OR (reservation = ? AND"
                              + " revision > ?)))))")
                      + " ORDER BY received_at, channel, reservation, revision LIMIT ?";
              try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                if (from != null) {
                  ps.setLong(i++, from.receivedAt());
                  ps.setLong(i++, from.receivedAt());
                  ps.setString(i++, from.channel());
                  ps.setString(i++, from.channel());
                  ps.setString(i++, from.reservation());
                  ps.setString(i++, from.reservation());
                  ps.setInt(i++, from.revision());
                }
                ps.setInt(i, limit + 1);
                Cursor end = null;
                int n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    if (++n > limit) {
                      return Optional.ofNullable(end);
                    }
                    ObjectNode r = items.addObject();
                    r.put("channel", rs.getString(1));
                    r.put("id", rs.getString(2));
                    r.put("revision", rs.getInt(3));
                    r.put("property", rs.getString(4));
                    String room = rs.getString(5);
                    r.put("roomType", room.isEmpty() ? null : room);
                    r.put("arrival", rs.getString(6));
                    r.put("departure", rs.getString(7));
                    r.put("status", rs.getString(8));
                    r.put("receivedAt", Instant.ofEpochMilli(rs.getLong(9)).toString());
                    r.put("note", rs.getString(10));
                    end = new Cursor(rs.getLong(9), rs.getString(1), rs.getString(2), rs.getInt(3));
                  }
                }
                return Optional.<Cursor>empty();
              }
            });
    doc.put("nextCursor", last.map(Cursor::encode).orElse(null));
    ctx.json(doc);
  }

  private static int limit(@Nullable String text) {
    if (text == null) {
      return 100;
    }
    try {
      int n = Integer.parseInt(text.trim());
      if (n >= 1 && n <= 1000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new ProblemException(400, "Bad request", "limit: '" + text + "' is not in 1..1000");
  }
}
