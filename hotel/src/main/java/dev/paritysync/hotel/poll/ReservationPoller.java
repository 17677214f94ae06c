package dev.paritysync.hotel.poll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paritysync.core.classify.Action;
import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Response;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.retry.Call;
import dev.paritysync.core.retry.CallResult;
import dev.paritysync.core.retry.ChannelPolicy;
import dev.paritysync.core.retry.Exchanged;
import dev.paritysync.core.retry.ResilientExecutor;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.hotel.adapter.ChannelAdapter;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.channel.ChannelMapping;
import dev.paritysync.hotel.engine.ChangesRejected;
import dev.paritysync.hotel.engine.Ingest;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ids;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one channel that has no webhooks for its reservations, pull-and-acknowledge style, and
 * turns each new revision into availability changes for every other channel.
 *
 * <p>One poll, on the injected {@link Scheduler}:
 *
 * <ol>
 *   <li>{@code GET /v1/reservations?since=<cursor>} through the resilience core (quota endpoint
 *       {@value #ENDPOINT}, circuit breaker, retries with backoff per the channel's policy), with
 *       {@code If-None-Match} when the previous page was empty: a 304 means nothing new. A page
 *       that listed reservations is never asked for conditionally, because it must change once they
 *       are acknowledged, and an unchanged one means the acknowledgement was lost.
 *   <li>In one transaction: every revision not yet in {@code reservation_revisions} (key: channel,
 *       reservation id, revision) is recorded, becomes an availability change through {@link
 *       Ingest#accept(Connection, List, Set)} for every channel but this one, and the feed's cursor
 *       is stored. Revisions already recorded are duplicates: counted, not processed again.
 *   <li>After the commit: the {@link ReservationSink} gets each new revision, then {@code POST
 *       /v1/reservations/ack} names every revision of the page (new and duplicate) — so a
 *       reservation is acknowledged only once it is durable.
 *   <li>The next poll is scheduled after {@link PollInterval#next} of the new revisions (a failed
 *       poll keeps the average: {@link PollInterval#afterFailure()}).
 * </ol>
 *
 * <p>Availability: a revision that holds rooms takes one room per night (arrival to the day before
 * departure) from the truth's availability of its room type; a modification first gives back the
 * nights of the revision before it, a cancellation only gives back. Values never go below 0. A
 * night whose truth has no availability yet is left alone and named in the revision's {@code note},
 * as is a room the mapping does not know and a change the validator rejects; the revision is still
 * recorded and acknowledged. Room codes are translated with the channel's mapping; property codes
 * are taken as they are.
 *
 * <p>Build with {@link #builder()}, then {@link #start()}. Not for concurrent polls of one channel
 * by several processes. Thread-safe: a poll runs one step at a time on the scheduler.
 */
public final class ReservationPoller implements AutoCloseable {
  /** The quota endpoint both the feed and the acknowledgement count against. */
  public static final String ENDPOINT = ChannelAdapter.READ_ENDPOINT;

  /**
   * The property of the quota key of the feed's requests: the feed is channel-wide, so it has a
   * quota of its own beside the per-property reads of ARI.
   */
  public static final String QUOTA_PROPERTY = "reservations";

  private static final Logger log = LoggerFactory.getLogger(ReservationPoller.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database db;
  private final Scheduler scheduler;
  private final Clock clock;
  private final Transport transport;
  private final String channel;
  private final URI baseUri;
  private final Ingest ingest;
  private final Map<String, String> roomsByChannelCode;
  private final PollInterval interval;
  private final ReservationSink sink;
  private final Consumer<Poll> listener;
  private final ResilientExecutor executor;

  private long cursor;
  private String etag;
  private long lastPollNanos = Long.MIN_VALUE;
  private volatile boolean busy;
  private volatile boolean started;
  private volatile boolean closed;
  private Scheduler.Cancellable next;

  /**
   * What one poll did.
   *
   * @param at when it started
   * @param status 200 or 304 for a page received, 0 when the poll failed
   * @param received revisions on the page
   * @param fresh revisions recorded for the first time
   * @param duplicates revisions already recorded (served again after a lost acknowledgement)
   * @param acknowledged whether the channel confirmed the acknowledgement (false when nothing was
   *     to acknowledge)
   * @param failure why the poll or its acknowledgement failed, or null
   * @param nextDelay the delay until the next poll
   */
  public record Poll(
      Instant at,
      int status,
      int received,
      int fresh,
      int duplicates,
      boolean acknowledged,
      String failure,
      Duration nextDelay) {}

  private ReservationPoller(Builder b) {
    this.db = b.db;
    this.scheduler = b.scheduler;
    this.clock = b.scheduler.clock();
    this.transport = b.transport;
    this.channel = b.channel;
    this.baseUri = b.baseUri;
    this.ingest = b.ingest;
    Map<String, String> rooms = new HashMap<>();
    b.mapping.rooms().forEach((pms, code) -> rooms.put(code, pms));
    this.roomsByChannelCode = Map.copyOf(rooms);
    this.interval = b.interval;
    this.sink = b.sink;
    this.listener = b.listener;
    ChannelPolicy policy = b.policy == null ? ChannelPolicy.defaults(channel) : b.policy;
    policy =
        policy.toBuilder()
            .withClassification(
                policy.classification().toBuilder().onStatus(304, Action.ACK).build())
            .build();
    this.executor =
        ResilientExecutor.builder(scheduler)
            .withPolicy(policy)
            .withRandom(new SplittableRandom(b.seed))
            .build();
  }

  /** Starts a builder; database, scheduler, transport, channel, mapping and ingest are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Loads the stored cursor and schedules the first poll at once.
   *
   * @throws IllegalStateException when already started or closed
   */
  public synchronized void start() {
    if (started || closed) {
      throw new IllegalStateException(closed ? "poller is closed" : "poller already started");
    }
    started = true;
    db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT feed_cursor, etag FROM reservation_feeds WHERE channel = ?")) {
            ps.setString(1, channel);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                cursor = rs.getLong(1);
                etag = rs.getString(2);
              }
            }
          }
          return null;
        });
    schedule(Duration.ZERO);
  }

  /** Whether a poll is under way (from its request until its next poll is scheduled). */
  public boolean busy() {
    return busy;
  }

  /** The channel polled. */
  public String channel() {
    return channel;
  }

  /** Stops scheduling polls; a poll under way finishes its steps. */
  @Override
  public synchronized void close() {
    closed = true;
    if (next != null) {
      next.cancel();
    }
  }

  private synchronized void schedule(Duration delay) {
    if (!closed) {
      next = scheduler.schedule(delay, this::poll);
    }
  }

  private void poll() {
    if (closed) {
      return;
    }
    busy = true;
    long now = clock.nanoTime();
    Duration elapsed =
        lastPollNanos == Long.MIN_VALUE
            ? interval.max()
            : Duration.ofNanos(Math.max(1, now - lastPollNanos));
    lastPollNanos = now;
    Instant at = clock.instant();
    Request request = Request.get(baseUri.resolve("/v1/reservations?since=" + cursor));
    if (etag != null) {
      request = request.withHeader("If-None-Match", etag);
    }
    java.util.concurrent.CompletableFuture<CallResult> sent;
    try {
      sent = submit(request);
    } catch (RuntimeException e) {
      log.error("poll of channel {} could not start", channel, e);
      finish(new Poll(at, 0, 0, 0, 0, false, e.toString(), interval.afterFailure()));
      return;
    }
    sent.whenComplete(
        (result, error) -> {
          try {
            polled(at, elapsed, result, error);
          } catch (RuntimeException e) {
            log.error("poll of channel {} failed", channel, e);
            finish(new Poll(at, 0, 0, 0, 0, false, e.toString(), interval.afterFailure()));
          }
        });
  }

  private void polled(Instant at, Duration elapsed, CallResult result, Throwable error) {
    if (error != null || !result.acknowledged()) {
      String why = error != null ? error.toString() : result.reason();
      log.warn("poll of channel {} failed: {}", channel, why);
      finish(new Poll(at, 0, 0, 0, 0, false, why, interval.afterFailure()));
      return;
    }
    Response response = result.last().response();
    if (response.status() == 304) {
      finish(new Poll(at, 304, 0, 0, 0, false, null, interval.next(0, elapsed)));
      return;
    }
    Page page;
    try {
      page = Page.parse(response.body(), channel, roomsByChannelCode);
    } catch (IOException | RuntimeException e) {
      // Nothing recorded, nothing acknowledged: the channel serves the page again.
      log.error(
          "channel {} sent a reservation page that cannot be read: {}", channel, e.toString());
      finish(
          new Poll(at, 0, 0, 0, 0, false, "malformed: " + e.getMessage(), interval.afterFailure()));
      return;
    }
    String tag = response.headers().first("ETag").orElse(null);
    // an empty page is worth asking for conditionally; one with reservations is not (see above)
    String keep = page.reservations().isEmpty() ? tag : null;
    List<Reservation> fresh = record(page, keep);
    cursor = page.cursor(); // only once committed
    etag = keep;
    for (Reservation r : fresh) {
      try {
        sink.accept(r);
      } catch (RuntimeException e) {
        log.error("reservation sink failed for {} revision {}", r.id(), r.revision(), e);
      }
    }
    int duplicates = page.reservations().size() - fresh.size();
    if (page.reservations().isEmpty()) {
      finish(new Poll(at, 200, 0, 0, 0, false, null, interval.next(0, elapsed)));
      return;
    }
    acknowledge(page.reservations())
        .whenComplete(
            (ack, ackError) -> {
              boolean ok = ackError == null && ack.acknowledged();
              String why = ok ? null : ackError != null ? ackError.toString() : ack.reason();
              if (ok) {
                markAcknowledged(page.reservations());
              } else {
                // The channel serves them again; they are duplicates then, and acknowledged again.
                log.warn("acknowledgement to channel {} failed: {}", channel, why);
              }
              finish(
                  new Poll(
                      at,
                      200,
                      page.reservations().size(),
                      fresh.size(),
                      duplicates,
                      ok,
                      why,
                      interval.next(fresh.size(), elapsed)));
            });
  }

  private void finish(Poll poll) {
    busy = false;
    if (listener != null) {
      try {
        listener.accept(poll);
      } catch (RuntimeException e) {
        log.warn("poll listener failed", e);
      }
    }
    schedule(poll.nextDelay());
  }

  private java.util.concurrent.CompletableFuture<CallResult> submit(Request request) {
    return submit(request, null);
  }

  private java.util.concurrent.CompletableFuture<CallResult> submit(
      Request request, String idempotencyKey) {
    Call call =
        new Call(
            channel,
            QUOTA_PROPERTY,
            ENDPOINT,
            idempotencyKey,
            Ids.next(clock),
            (context, token) ->
                transport
                    .send(request, context)
                    .thenApply(r -> new Exchanged(Transport.outcomeOf(r), r)));
    return executor.submit(call);
  }

  private java.util.concurrent.CompletableFuture<CallResult> acknowledge(List<Reservation> page) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode received = body.putArray("received");
    for (Reservation r : page) {
      received.addObject().put("id", r.id()).put("revision", r.revision());
    }
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write an acknowledgement", e);
    }
    return submit(
        Request.post(baseUri.resolve("/v1/reservations/ack"), "application/json", bytes),
        Ids.next(clock));
  }

  // ---------------------------------------------------------------- the durable part

  /**
   * Records the page, its cursor and {@code tag} (null: ask unconditionally next time) in one
   * transaction; returns the revisions recorded for the first time.
   */
  private List<Reservation> record(Page page, String tag) {
    return db.inTransaction(
        c -> {
          List<Reservation> fresh = new ArrayList<>();
          long now = clock.millis();
          for (Reservation r : page.reservations()) {
            if (insertRevision(c, r, now)) {
              Applied applied = apply(c, r);
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "UPDATE reservation_revisions SET ari_version = ?, note = ?"
                          + " WHERE channel = ? AND reservation = ? AND revision = ?")) {
                if (applied.version() == null) {
                  ps.setNull(1, java.sql.Types.BIGINT);
                } else {
                  ps.setLong(1, applied.version());
                }
                ps.setString(2, applied.note());
                ps.setString(3, channel);
                ps.setString(4, r.id());
                ps.setInt(5, r.revision());
                ps.executeUpdate();
              }
              fresh.add(r);
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO reservation_feeds (channel, feed_cursor, etag) VALUES (?, ?, ?)"
                      + " ON CONFLICT (channel) DO UPDATE SET feed_cursor = excluded.feed_cursor,"
                      + " etag = excluded.etag")) {
            ps.setString(1, channel);
            ps.setLong(2, page.cursor());
            ps.setString(3, tag);
            ps.executeUpdate();
          }
          return fresh;
        });
  }

  private boolean insertRevision(Connection c, Reservation r, long now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO reservation_revisions (channel, reservation, revision, property,"
                + " room_type, arrival, departure, status, received_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (channel, reservation, revision) DO NOTHING")) {
      ps.setString(1, channel);
      ps.setString(2, r.id());
      ps.setInt(3, r.revision());
      ps.setString(4, r.property());
      ps.setString(5, r.roomType() == null ? "" : r.roomType());
      ps.setString(6, r.arrival().toString());
      ps.setString(7, r.departure().toString());
      ps.setString(8, r.status().code());
      ps.setLong(9, now);
      return ps.executeUpdate() == 1;
    }
  }

  /** The availability change a revision became (its version), or why there is none. */
  private record Applied(Long version, String note) {}

  /** A stay held by a reservation: the nights of {@code room} from arrival to departure − 1. */
  private record Stay(String room, LocalDate arrival, LocalDate departure) {}

  private Applied apply(Connection c, Reservation r) throws SQLException {
    String room = r.roomType();
    Integer previousRevision = null;
    Stay previous = null;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT revision, room_type, arrival, departure, status FROM reservations"
                + " WHERE channel = ? AND reservation = ?")) {
      ps.setString(1, channel);
      ps.setString(2, r.id());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          previousRevision = rs.getInt("revision");
          if (!rs.getString("status").equals(Reservation.Status.CANCELLED.code())
              && !rs.getString("room_type").isEmpty()) {
            previous =
                new Stay(
                    rs.getString("room_type"),
                    LocalDate.parse(rs.getString("arrival")),
                    LocalDate.parse(rs.getString("departure")));
          }
        }
      }
    }
    if (previousRevision != null && previousRevision >= r.revision()) {
      return new Applied(null, "older than revision " + previousRevision + ", already applied");
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO reservations (channel, reservation, revision, property, room_type,"
                + " arrival, departure, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (channel, reservation) DO UPDATE SET revision = excluded.revision,"
                + " property = excluded.property, room_type = excluded.room_type,"
                + " arrival = excluded.arrival, departure = excluded.departure,"
                + " status = excluded.status")) {
      ps.setString(1, channel);
      ps.setString(2, r.id());
      ps.setInt(3, r.revision());
      ps.setString(4, r.property());
      ps.setString(5, room == null ? "" : room);
      ps.setString(6, r.arrival().toString());
      ps.setString(7, r.departure().toString());
      ps.setString(8, r.status().code());
      ps.executeUpdate();
    }
    List<String> notes = new ArrayList<>();
    // (room, night) → rooms given back (+) or taken (−)
    Map<String, TreeMap<LocalDate, Integer>> delta = new TreeMap<>();
    if (previous != null) {
      Stay p = previous;
      p.arrival()
          .datesUntil(p.departure())
          .forEach(
              d -> delta.computeIfAbsent(p.room(), k -> new TreeMap<>()).merge(d, 1, Integer::sum));
    }
    if (r.holdsRooms()) {
      if (room == null) {
        notes.add("room '" + r.channelRoom() + "' is not in the channel's mapping");
      } else {
        r.arrival()
            .datesUntil(r.departure())
            .forEach(
                d -> delta.computeIfAbsent(room, k -> new TreeMap<>()).merge(d, -1, Integer::sum));
      }
    }
    List<Change> changes = new ArrayList<>();
    List<LocalDate> unknown = new ArrayList<>();
    for (var byRoom : delta.entrySet()) {
      for (var night : byRoom.getValue().entrySet()) {
        if (night.getValue() == 0) {
          continue;
        }
        Integer current = availability(c, r.property(), byRoom.getKey(), night.getKey());
        if (current == null) {
          unknown.add(night.getKey());
          continue;
        }
        changes.add(
            Change.builder(r.property(), byRoom.getKey(), night.getKey(), night.getKey())
                .withAvailability(Math.max(0, current + night.getValue()))
                .build());
      }
    }
    if (!unknown.isEmpty()) {
      notes.add("no availability in truth for " + unknown);
    }
    Long version = null;
    if (!changes.isEmpty()) {
      try {
        version = ingest.accept(c, changes, Set.of(channel)).version();
      } catch (ChangesRejected e) {
        notes.add("rejected: " + e.getMessage());
      }
    }
    return new Applied(version, notes.isEmpty() ? null : String.join("; ", notes));
  }

  private static Integer availability(Connection c, String property, String room, LocalDate date)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT availability FROM ari_truth WHERE property = ? AND room_type = ?"
                + " AND rate_plan = '' AND date = ?")) {
      ps.setString(1, property);
      ps.setString(2, room);
      ps.setString(3, date.toString());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        int v = rs.getInt(1);
        return rs.wasNull() ? null : v;
      }
    }
  }

  private void markAcknowledged(List<Reservation> page) {
    long now = clock.millis();
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE reservation_revisions SET acked_at = ? WHERE channel = ?"
                      + " AND reservation = ? AND revision = ? AND acked_at IS NULL")) {
            for (Reservation r : page) {
              ps.setLong(1, now);
              ps.setString(2, channel);
              ps.setString(3, r.id());
              ps.setInt(4, r.revision());
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }

  /** A page of the feed. */
  private record Page(long cursor, List<Reservation> reservations) {
    static Page parse(byte[] body, String channel, Map<String, String> rooms) throws IOException {
      JsonNode root = JSON.readTree(body);
      if (root == null || !root.path("cursor").canConvertToLong()) {
        throw new IOException(
            "/cursor: required, a number; body starts "
                + new String(body, 0, Math.min(body.length, 80), StandardCharsets.UTF_8));
      }
      JsonNode list = root.path("reservations");
      if (!list.isArray()) {
        throw new IOException("/reservations: required, a list");
      }
      List<Reservation> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        JsonNode n = list.get(i);
        String at = "/reservations/" + i;
        try {
          out.add(
              new Reservation(
                  channel,
                  text(n, "id", at),
                  n.path("revision").asInt(),
                  text(n, "property", at),
                  rooms.get(text(n, "room", at)),
                  text(n, "room", at),
                  LocalDate.parse(text(n, "arrival", at)),
                  LocalDate.parse(text(n, "departure", at)),
                  Reservation.Status.of(text(n, "status", at))));
        } catch (DateTimeParseException | IllegalArgumentException e) {
          throw new IOException(at + ": " + e.getMessage(), e);
        }
      }
      return new Page(root.get("cursor").asLong(), List.copyOf(out));
    }

    private static String text(JsonNode n, String field, String at) throws IOException {
      JsonNode v = n.get(field);
      if (v == null || !v.isTextual()) {
        throw new IOException(at + "/" + field + ": required, a string");
      }
      return v.asText();
    }
  }

  @Override
  public String toString() {
    return "ReservationPoller[" + channel + " at " + baseUri + "]";
  }

  /** Builds a {@link ReservationPoller}. Not thread-safe. */
  public static final class Builder {
    private Database db;
    private Scheduler scheduler;
    private Transport transport;
    private String channel;
    private URI baseUri;
    private ChannelMapping mapping;
    private Ingest ingest;
    private ChannelPolicy policy;
    private PollInterval interval = PollInterval.defaults();
    private ReservationSink sink = ReservationSink.stored();
    private Consumer<Poll> listener;
    private long seed = 1;

    private Builder() {}

    /** The migrated database (hotel migrations included). */
    public Builder withDatabase(Database db) {
      this.db = db;
      return this;
    }

    /** Runs the polls; its clock times them. */
    public Builder withScheduler(Scheduler scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    public Builder withTransport(Transport transport) {
      this.transport = transport;
      return this;
    }

    /** The channel's name (as the engine knows it) and the base URI of its API. */
    public Builder withChannel(String channel, URI baseUri) {
      this.channel = Objects.requireNonNull(channel, "channel");
      this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
      return this;
    }

    /** The channel's code mapping: its room codes are translated back to PMS room types. */
    public Builder withMapping(ChannelMapping mapping) {
      this.mapping = Objects.requireNonNull(mapping, "mapping");
      return this;
    }

    /** Where availability changes go: the engine's {@link Ingest}. */
    public Builder withIngest(Ingest ingest) {
      this.ingest = Objects.requireNonNull(ingest, "ingest");
      return this;
    }

    /**
     * Optional: the channel's resilience policy (quota for {@value #ENDPOINT}, breaker, backoff);
     * default {@link ChannelPolicy#defaults}. A 304 is always acknowledged.
     */
    public Builder withPolicy(ChannelPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Optional: the polling interval; default {@link PollInterval#defaults()}. */
    public Builder withInterval(PollInterval interval) {
      this.interval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * Optional: where new revisions go after they are stored; default {@link
     * ReservationSink#stored()}.
     */
    public Builder withSink(ReservationSink sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /** Optional: told about every poll, on the scheduler's thread. */
    public Builder onPoll(Consumer<Poll> listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Optional: seeds the retry jitter; default 1. */
    public Builder withSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The poller (not started).
     *
     * @throws NullPointerException naming the first required setting that is missing
     * @throws IllegalArgumentException when the policy is for another channel
     */
    public ReservationPoller build() {
      Objects.requireNonNull(db, "database");
      Objects.requireNonNull(scheduler, "scheduler");
      Objects.requireNonNull(transport, "transport");
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(mapping, "mapping");
      Objects.requireNonNull(ingest, "ingest");
      if (policy != null && !policy.channel().equals(channel)) {
        throw new IllegalArgumentException(
            "policy is for channel '" + policy.channel() + "', the poller for '" + channel + "'");
      }
      return new ReservationPoller(this);
    }
  }
}
