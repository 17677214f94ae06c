package dev.paritysync.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The reservations a simulated channel took, served as a pull-and-acknowledge feed: every change to
 * a reservation (booking, modification, cancellation) is a new revision with the next sequence
 * number; a page holds every reservation changed after the cursor plus every reservation whose
 * newest revision is not acknowledged yet, so a reservation is served until it is acknowledged.
 * Thread-safe (one lock).
 */
final class ReservationFeed {
  /** One revision of a reservation. */
  record Entry(
      String id,
      int revision,
      String property,
      String room,
      LocalDate arrival,
      LocalDate departure,
      String status,
      long sequence) {}

  /** A page: the body and its entity tag. */
  record Page(byte[] body, String etag) {}

  private final Map<String, Entry> byId = new LinkedHashMap<>();
  private final Set<String> acknowledged = new HashSet<>();
  private long sequence;
  private int nextId;
  private boolean dropAcks;
  private long ackRequests;
  private long acknowledgements;

  synchronized String book(String property, String room, LocalDate arrival, LocalDate departure) {
    check(property, room, arrival, departure);
    String id = "RES-" + (++nextId);
    byId.put(id, new Entry(id, 1, property, room, arrival, departure, "new", ++sequence));
    return id;
  }

  synchronized int modify(String id, String room, LocalDate arrival, LocalDate departure) {
    Entry e = existing(id);
    check(e.property(), room, arrival, departure);
    Entry next =
        new Entry(
            id, e.revision() + 1, e.property(), room, arrival, departure, "modified", ++sequence);
    byId.put(id, next);
    return next.revision();
  }

  synchronized int cancel(String id) {
    Entry e = existing(id);
    Entry next =
        new Entry(
            id,
            e.revision() + 1,
            e.property(),
            e.room(),
            e.arrival(),
            e.departure(),
            "cancelled",
            ++sequence);
    byId.put(id, next);
    return next.revision();
  }

  /** Everything changed after {@code since}, and everything not acknowledged, by sequence. */
  synchronized Page page(long since) {
    List<Entry> out = new ArrayList<>();
    for (Entry e : byId.values()) {
      if (e.sequence() > since || !acknowledged.contains(key(e.id(), e.revision()))) {
        out.add(e);
      }
    }
    out.sort(Comparator.comparingLong(Entry::sequence));
    ObjectNode root = SimJson.JSON.createObjectNode();
    root.put("cursor", sequence);
    ArrayNode list = root.putArray("reservations");
    for (Entry e : out) {
      list.addObject()
          .put("id", e.id())
          .put("revision", e.revision())
          .put("property", e.property())
          .put("room", e.room())
          .put("arrival", e.arrival().toString())
          .put("departure", e.departure().toString())
          .put("status", e.status());
    }
    byte[] body = SimJson.write(root);
    return new Page(body, etag(body));
  }

  /**
   * Acknowledges the {@code received} list of {@code {"id","revision"}} objects; returns how many
   * named a revision this channel served, or throws for a body that is not such a list.
   */
  synchronized int acknowledge(byte[] body) throws IOException {
    ackRequests++;
    JsonNode root = SimJson.JSON.readTree(body);
    JsonNode received = root == null ? null : root.get("received");
    if (received == null || !received.isArray()) {
      throw new IOException("/received: required, a list of {\"id\", \"revision\"}");
    }
    int n = 0;
    for (int i = 0; i < received.size(); i++) {
      JsonNode r = received.get(i);
      if (!r.path("id").isTextual() || !r.path("revision").canConvertToInt()) {
        throw new IOException("/received/" + i + ": needs a string id and an integer revision");
      }
      Entry e = byId.get(r.get("id").asText());
      int revision = r.get("revision").asInt();
      if (e != null && revision >= 1 && revision <= e.revision()) {
        n++;
        if (!dropAcks && acknowledged.add(key(e.id(), revision))) {
          acknowledgements++;
        }
      }
    }
    return n;
  }

  synchronized void setDropAcks(boolean drop) {
    this.dropAcks = drop;
  }

  synchronized long ackRequests() {
    return ackRequests;
  }

  synchronized long acknowledgements() {
    return acknowledgements;
  }

  synchronized boolean isAcknowledged(String id, int revision) {
    return acknowledged.contains(key(id, revision));
  }

  private Entry existing(String id) {
    Entry e = byId.get(Objects.requireNonNull(id, "id"));
    if (e == null) {
      throw new IllegalArgumentException("no reservation " + id + "; known: " + byId.keySet());
    }
    if (e.status().equals("cancelled")) {
      throw new IllegalArgumentException("reservation " + id + " is cancelled");
    }
    return e;
  }

  private static void check(String property, String room, LocalDate arrival, LocalDate departure) {
    Objects.requireNonNull(property, "property");
    Objects.requireNonNull(room, "room");
    if (!departure.isAfter(arrival)) {
      throw new IllegalArgumentException(
          "departure " + departure + " must be after arrival " + arrival);
    }
  }

  private static String key(String id, int revision) {
    return id + "#" + revision;
  }

  private static String etag(byte[] body) {
    try {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(body);
      return "\"" + HexFormat.of().formatHex(sha, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always present", e);
    }
  }

  /**
   * Whether {@code If-None-Match} value {@code ifNoneMatch} names {@code etag} (or is {@code *}).
   */
  static boolean matches(String ifNoneMatch, String etag) {
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.trim();
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.equals("*") || t.equals(etag)) {
        return true;
      }
    }
    return false;
  }
}
