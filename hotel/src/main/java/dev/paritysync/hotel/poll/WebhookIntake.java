package dev.paritysync.hotel.poll;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paritysync.core.json.StrictJson;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.webhook.Verification;
import dev.paritysync.core.webhook.WebhookRequest;
import dev.paritysync.hotel.channel.ChannelMapping;
import dev.paritysync.hotel.engine.Ingest;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ids;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes in a channel's reservation webhooks once their signature is verified (see {@link
 * dev.paritysync.core.webhook}): the durable half of {@code POST /v1/webhooks/{channel}}. The HTTP
 * server verifies, calls {@link #accept}, and answers only after it returns — by then everything
 * the answer claims is committed.
 *
 * <p>The body is one reservation revision, the same object as an item of the polled feed (see
 * {@link ReservationPoller}): {@code {"id": "RES-1", "revision": 1, "property": "P1", "room": "D1",
 * "arrival": "2026-03-11", "departure": "2026-03-13", "status": "new"}}; other fields are ignored.
 * In ONE transaction:
 *
 * <ol>
 *   <li>the raw body goes into {@code webhook_inbox} first (channel, webhook id, time, the exact
 *       bytes). A webhook id already in the inbox for this channel is a redelivery: {@link
 *       Outcome#DUPLICATE}, nothing else is written.
 *   <li>the body is parsed. Unreadable (not JSON, nested deeper than allowed, a key twice, a field
 *       missing or wrong, a stay longer than allowed — or any other failure to read it): the inbox
 *       row is marked {@code dead_lettered} with the parse error, a dead letter naming the row is
 *       queued ({@code store.Queues}, with its {@code queue.entered} ledger entry), and the answer
 *       is {@link Outcome#DEAD_LETTERED}. The channel signed it, so resending cannot fix it: the
 *       server answers 2xx so the channel stops, and a person reads the dead letter.
 *   <li>the revision is recorded exactly as the poller records one: a (channel, reservation,
 *       revision) already in {@code reservation_revisions} — under another webhook id, or polled —
 *       is {@link Outcome#DUPLICATE}; a new one holds or gives back rooms in truth and becomes an
 *       availability change pending for every channel except this one (overbooking prevention), and
 *       is {@link Outcome#ACCEPTED}. A room the mapping does not know, a night without availability
 *       in truth (an unknown property) or a change the validator rejects is noted on the revision,
 *       which is still accepted — as the poller does.
 * </ol>
 *
 * <p>After the commit, the {@link ReservationSink} gets each accepted revision (its exceptions are
 * logged). When the database fails, the transaction rolls back — no inbox row, no revision, no
 * change — and {@link #accept} throws: the server answers 5xx and the channel retries.
 *
 * <p>Build with {@link #builder()}. Thread-safe: concurrent calls are serialised by the database's
 * write transaction.
 */
public final class WebhookIntake {
  private static final Logger log = LoggerFactory.getLogger(WebhookIntake.class);

  // A revision is an int; a longer number is not one, and Jackson need not read it.
  private static final int MAX_NUMBER_LENGTH = 64;

  /** The nesting a webhook body may have unless told otherwise; a reservation needs 2. */
  public static final int DEFAULT_MAX_JSON_DEPTH = 32;

  /**
   * The longest stay a webhook may hold unless told otherwise, in nights: the engine's calendar
   * ({@link dev.paritysync.hotel.ari.ChangeValidator#DEFAULT_HORIZON_DAYS}).
   */
  public static final int DEFAULT_MAX_STAY_NIGHTS =
      dev.paritysync.hotel.ari.ChangeValidator.DEFAULT_HORIZON_DAYS;

  /** What became of a webhook; the server maps it to a status (see {@code docs/webhooks.md}). */
  public enum Outcome {
    /** A new reservation revision, committed and applied. */
    ACCEPTED,
    /** Received before (same webhook id, or same reservation and revision): nothing done again. */
    DUPLICATE,
    /** Verified but unreadable: kept in the inbox and queued as a dead letter, not applied. */
    DEAD_LETTERED
  }

  /**
   * The answer to one webhook. Immutable.
   *
   * @param outcome what became of it
   * @param inboxId the {@code webhook_inbox} row that holds it (for a duplicate webhook id: the row
   *     of the first delivery)
   * @param reservation the reservation id the body named, or null when the body was not read (it is
   *     unreadable, or the webhook id is a duplicate)
   * @param revision the revision the body named, or 0 when the body was not read
   * @param detail null, or one line: the parse error (dead-lettered), why it is a duplicate, or the
   *     note recorded with an accepted revision (an unmapped room ...)
   */
  public record Result(
      Outcome outcome,
      String inboxId,
      @Nullable String reservation,
      int revision,
      @Nullable String detail) {
    public Result {
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(inboxId, "inboxId");
    }
  }

  private final Database db;
  private final Clock clock;
  private final Queues queues;
  private final ReservationSink sink;
  private final Map<String, ReservationStore> stores;
  private final Map<String, Map<String, String>> roomsByChannelCode;
  private final StrictJson json;
  private final int maxStayNights;

  private WebhookIntake(Builder b) {
    // build() checked these already; said again where the compiler can see it
    Objects.requireNonNull(b.db, "database");
    Objects.requireNonNull(b.clock, "clock");
    Objects.requireNonNull(b.ingest, "ingest");
    this.db = b.db;
    this.json = new StrictJson(b.maxJsonDepth, MAX_NUMBER_LENGTH);
    this.maxStayNights = b.maxStayNights;
    this.clock = b.clock;
    this.queues = new Queues(new Ledger(b.clock), b.clock);
    this.sink = b.sink;
    Map<String, ReservationStore> s = new HashMap<>();
    Map<String, Map<String, String>> r = new HashMap<>();
    b.mappings.forEach(
        (channel, mapping) -> {
          s.put(channel, new ReservationStore(b.db, b.clock, channel, b.ingest));
          Map<String, String> rooms = new HashMap<>();
          mapping.rooms().forEach((pms, code) -> rooms.put(code, pms));
          r.put(channel, Map.copyOf(rooms));
        });
    this.stores = Map.copyOf(s);
    this.roomsByChannelCode = Map.copyOf(r);
  }

  /** Starts a builder; database, clock, ingest and at least one channel are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The channels that take webhooks here. */
  public Set<String> channels() {
    return stores.keySet();
  }

  /**
   * Takes in one verified webhook of {@code channel}; returns once its outcome is committed.
   *
   * @param verification the verifier's answer for {@code request}; its webhook id (or none) is the
   *     de-duplication key
   * @throws IllegalArgumentException when {@code channel} takes no webhooks here, or {@code
   *     verification} is not verified (unverified requests are answered 401 before this)
   * @throws dev.paritysync.store.StoreException when the database fails; nothing was written
   */
  public Result accept(String channel, WebhookRequest request, Verification verification) {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(verification, "verification");
    ReservationStore store = stores.get(channel);
    if (store == null) {
      throw new IllegalArgumentException(
          "channel '"
              + channel
              + "' takes no webhooks (known: "
              + new TreeSet<>(stores.keySet())
              + ")");
    }
    if (!verification.verified()) {
      throw new IllegalArgumentException(
          "webhook for channel '" + channel + "' is not verified: " + verification.detail());
    }
    byte[] body = request.body();
    Taken taken = db.inTransaction(c -> take(c, store, channel, verification.webhookId(), body));
    Reservation fresh = taken.fresh();
    if (fresh != null) {
      try {
        sink.accept(fresh);
      } catch (RuntimeException e) {
        log.error("reservation sink failed for {} revision {}", fresh.id(), fresh.revision(), e);
      }
    }
    return taken.result();
  }

  /** A result, and the revision to hand to the sink after the commit (null when none). */
  private record Taken(Result result, @Nullable Reservation fresh) {}

  private Taken take(
      Connection c, ReservationStore store, String channel, @Nullable String webhookId, byte[] body)
      throws SQLException {
    long now = clock.millis();
    String inboxId = Ids.next(clock);
    if (!insertInbox(c, inboxId, channel, webhookId, body, now)) {
      return new Taken(
          new Result(
              Outcome.DUPLICATE,
              firstDelivery(c, channel, webhookId),
              null,
              0,
              "webhook id " + webhookId + " was received before"),
          null);
    }
    Reservation r;
    try {
      r = parse(json, body, channel, roomsByChannelCode.getOrDefault(channel, Map.of()));
      checkStay(r, maxStayNights);
    } catch (IOException | RuntimeException e) {
      // Whatever the reason, a verified body that cannot be read is kept and dead-lettered: a 5xx
      // would only make the channel send the same bytes forever.
      String error =
          e instanceof IOException ? e.getMessage() : "/: cannot be read: " + e.getMessage();
      update(c, inboxId, "dead_lettered", null, null, error);
      queues.enter(
          c,
          Queues.entry(
                  QueueItem.Queue.DEAD_LETTER,
                  channel,
                  "webhook/" + inboxId,
                  "malformed reservation webhook: " + error)
              .withCorrelationId(Ids.next(clock))
              .withDetail("inbox", inboxId)
              .withDetail("webhookId", String.valueOf(webhookId))
              .withDetail("bodyBytes", body.length));
      log.warn(
          "channel {} sent a verified webhook {} that cannot be read: {}",
          channel,
          webhookId,
          error);
      return new Taken(new Result(Outcome.DEAD_LETTERED, inboxId, null, 0, error), null);
    }
    if (!store.record(c, r, now)) {
      String why =
          "revision " + r.revision() + " of reservation " + r.id() + " was received before";
      update(c, inboxId, "duplicate", r.id(), r.revision(), null);
      return new Taken(new Result(Outcome.DUPLICATE, inboxId, r.id(), r.revision(), why), null);
    }
    update(c, inboxId, "applied", r.id(), r.revision(), null);
    String note = store.note(c, r.id(), r.revision());
    return new Taken(new Result(Outcome.ACCEPTED, inboxId, r.id(), r.revision(), note), r);
  }

  /** Reads a webhook body: one reservation revision (see the class comment). */
  static Reservation parse(StrictJson json, byte[] body, String channel, Map<String, String> rooms)
      throws IOException {
    JsonNode root;
    try {
      root = json.read(body);
    } catch (StrictJson.Malformed e) {
      throw new IOException(
          (e.pointer().isEmpty() ? "/" : e.pointer())
              + ": not JSON (line "
              + e.line()
              + ", column "
              + e.column()
              + "): "
              + e.reason(),
          e);
    }
    if (root == null) {
      throw new IOException("/: required, an object (the body is empty)");
    }
    return FeedPage.reservation(root, "", channel, rooms);
  }

  /** Refuses a stay longer than {@code max} nights: each night is a change and a note. */
  static void checkStay(Reservation r, int max) throws IOException {
    long nights = ChronoUnit.DAYS.between(r.arrival(), r.departure());
    if (nights > max) {
      throw new IOException(
          "/departure: a stay of "
              + nights
              + " nights ("
              + r.arrival()
              + " to "
              + r.departure()
              + ") is longer than the maximum of "
              + max);
    }
  }

  private static boolean insertInbox(
      Connection c, String id, String channel, @Nullable String webhookId, byte[] body, long now)
      throws SQLException {
    String text = utf8(body);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO webhook_inbox (id, channel, webhook_id, received_at, body, body_encoding,"
                + " status) VALUES (?, ?, ?, ?, ?, ?, 'received')"
                + " ON CONFLICT (channel, webhook_id) DO NOTHING")) {
      ps.setString(1, id);
      ps.setString(2, channel);
      ps.setString(3, webhookId);
      ps.setLong(4, now);
      ps.setString(5, text != null ? text : Base64.getEncoder().encodeToString(body));
      ps.setString(6, text != null ? "utf-8" : "base64");
      return ps.executeUpdate() == 1;
    }
  }

  /** The text of {@code body}, or null when it is not UTF-8 (or holds NUL, which TEXT refuses). */
  private static @Nullable String utf8(byte[] body) {
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString();
      return text.indexOf('\0') >= 0 ? null : text;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String firstDelivery(Connection c, String channel, @Nullable String webhookId)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT id FROM webhook_inbox WHERE channel = ? AND webhook_id = ?")) {
      ps.setString(1, channel);
      ps.setString(2, webhookId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("webhook_inbox has no row for " + channel + "/" + webhookId);
        }
        return rs.getString(1);
      }
    }
  }

  private static void update(
      Connection c,
      String id,
      String status,
      @Nullable String reservation,
      @Nullable Integer revision,
      @Nullable String error)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE webhook_inbox SET status = ?, reservation = ?, revision = ?, error = ?"
                + " WHERE id = ?")) {
      ps.setString(1, status);
      ps.setString(2, reservation);
      if (revision == null) {
        ps.setNull(3, java.sql.Types.INTEGER);
      } else {
        ps.setInt(3, revision);
      }
      ps.setString(4, error);
      ps.setString(5, id);
      ps.executeUpdate();
    }
  }

  @Override
  public String toString() {
    return "WebhookIntake" + new TreeSet<>(stores.keySet());
  }

  /** Builds a {@link WebhookIntake}. Not thread-safe; {@link #build()} copies the settings. */
  public static final class Builder {
    private @Nullable Database db;
    private @Nullable Clock clock;
    private @Nullable Ingest ingest;
    private final Map<String, ChannelMapping> mappings = new LinkedHashMap<>();
    private ReservationSink sink = ReservationSink.stored();
    private int maxJsonDepth = DEFAULT_MAX_JSON_DEPTH;
    private int maxStayNights = DEFAULT_MAX_STAY_NIGHTS;

    private Builder() {}

    /**
     * Optional: how deep a body may nest; deeper bodies are dead-lettered. Default {@value
     * #DEFAULT_MAX_JSON_DEPTH}.
     */
    public Builder withMaxJsonDepth(int depth) {
      if (depth < 2) {
        throw new IllegalArgumentException("maxJsonDepth must be ≥ 2, was " + depth);
      }
      this.maxJsonDepth = depth;
      return this;
    }

    /**
     * Optional: the longest stay, in nights, a webhook may hold; longer ones are dead-lettered.
     * Default {@link #DEFAULT_MAX_STAY_NIGHTS} (750).
     */
    public Builder withMaxStayNights(int nights) {
      if (nights < 1) {
        throw new IllegalArgumentException("maxStayNights must be ≥ 1, was " + nights);
      }
      this.maxStayNights = nights;
      return this;
    }

    /** The migrated database (hotel migrations included). */
    public Builder withDatabase(Database db) {
      this.db = Objects.requireNonNull(db, "db");
      return this;
    }

    /** Times the inbox rows and ids. */
    public Builder withClock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where availability changes go: the engine's {@link Ingest}. */
    public Builder withIngest(Ingest ingest) {
      this.ingest = Objects.requireNonNull(ingest, "ingest");
      return this;
    }

    /**
     * A channel that sends webhooks, and its code mapping (its room codes are translated back to
     * PMS room types). Call once per channel.
     *
     * @throws IllegalArgumentException when {@code channel} was added before
     */
    public Builder withChannel(String channel, ChannelMapping mapping) {
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(mapping, "mapping");
      if (mappings.putIfAbsent(channel, mapping) != null) {
        throw new IllegalArgumentException("channel '" + channel + "' is added twice");
      }
      return this;
    }

    /**
     * Optional: where accepted revisions go after the commit; default {@link
     * ReservationSink#stored()}.
     */
    public Builder withSink(ReservationSink sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /**
     * The intake.
     *
     * @throws NullPointerException naming the first required setting that is missing
     * @throws IllegalStateException when no channel was added
     */
    public WebhookIntake build() {
      Objects.requireNonNull(db, "database");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(ingest, "ingest");
      if (mappings.isEmpty()) {
        throw new IllegalStateException("a webhook intake needs at least one channel");
      }
      return new WebhookIntake(this);
    }
  }
}
