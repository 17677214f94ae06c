package dev.paritysync.hotel.poll;

import dev.paritysync.core.auth.TokenStore;
import dev.paritysync.core.http.Response;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.retry.CallResult;
import dev.paritysync.core.retry.ChannelPolicy;
import dev.paritysync.core.retry.Exchanged;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import dev.paritysync.hotel.adapter.ChannelAdapter;
import dev.paritysync.hotel.channel.ChannelMapping;
import dev.paritysync.hotel.channel.Credentials;
import dev.paritysync.hotel.channel.HotelDefaults;
import dev.paritysync.hotel.engine.Ingest;
import dev.paritysync.store.Database;
import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one channel that has no webhooks for its reservations, pull-and-acknowledge style, and
 * turns each new revision into availability changes for every other channel.
 *
 * <p>One poll, on the injected {@link Scheduler}:
 *
 * <ol>
 *   <li>{@code GET /v1/reservations?since=<cursor>} through the resilience core ({@link
 *       FeedClient}: the core's admission gate with quota endpoint {@value #ENDPOINT}, circuit
 *       breaker, retries with backoff per the channel's policy), with {@code If-None-Match} when
 *       the previous page was empty: a 304 means nothing new. A page that listed reservations is
 *       never asked for conditionally, because it must change once they are acknowledged, and an
 *       unchanged one means the acknowledgement was lost.
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

  /** The feed's quota scope: the feed is channel-wide, beside the per-property scopes of ARI. */
  public static final String QUOTA_SCOPE = "reservations";

  private static final Logger log = LoggerFactory.getLogger(ReservationPoller.class);

  private final ReservationStore store;
  private final Scheduler scheduler;
  private final Clock clock;
  private final String channel;
  private final URI baseUri;
  private final Map<String, String> roomsByChannelCode;
  private final PollInterval interval;
  private final ReservationSink sink;
  private final @Nullable Consumer<Poll> listener;
  private final FeedClient feed;

  private long cursor;
  private @Nullable String etag;
  private long lastPollNanos = Long.MIN_VALUE;
  private volatile boolean busy;
  private volatile boolean started;
  private volatile boolean closed;
  private Scheduler.@Nullable Cancellable next;

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
      @Nullable String failure,
      Duration nextDelay) {}

  private ReservationPoller(Builder b) {
    // build() checked the required settings in its order; these name the same ones.
    this.scheduler = Objects.requireNonNull(b.scheduler, "scheduler");
    this.clock = scheduler.clock();
    this.channel = Objects.requireNonNull(b.channel, "channel");
    this.baseUri = Objects.requireNonNull(b.baseUri, "baseUri");
    this.store =
        new ReservationStore(
            Objects.requireNonNull(b.db, "database"),
            clock,
            channel,
            Objects.requireNonNull(b.ingest, "ingest"));
    Map<String, String> rooms = new HashMap<>();
    Objects.requireNonNull(b.mapping, "mapping")
        .rooms()
        .forEach((pms, code) -> rooms.put(code, pms));
    this.roomsByChannelCode = Map.copyOf(rooms);
    this.interval = b.interval;
    this.sink = b.sink;
    this.listener = b.listener;
    this.feed =
        new FeedClient(
            scheduler,
            Objects.requireNonNull(b.transport, "transport"),
            channel,
            baseUri,
            b.policy == null ? HotelDefaults.policy(channel) : b.policy,
            b.credentials,
            b.tokenStore,
            b.seed);
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
    ReservationStore.Feed feed = store.load();
    cursor = feed.cursor();
    etag = feed.etag();
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
    CompletableFuture<CallResult> sent;
    try {
      sent = feed.page(cursor, etag);
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

  private void polled(
      Instant at, Duration elapsed, @Nullable CallResult result, @Nullable Throwable error) {
    // the future gives a result or an error, never both nor neither
    if (result == null || !result.acknowledged()) {
      String why = result == null ? String.valueOf(error) : result.reason();
      log.warn("poll of channel {} failed: {}", channel, why);
      finish(new Poll(at, 0, 0, 0, 0, false, why, interval.afterFailure()));
      return;
    }
    // an acknowledged call was acknowledged by an answer: 200 or 304
    Exchanged last = Objects.requireNonNull(result.last(), "acknowledged poll's exchange");
    Response response = Objects.requireNonNull(last.response(), "acknowledged poll's response");
    if (response.status() == 304) {
      finish(new Poll(at, 304, 0, 0, 0, false, null, interval.next(0, elapsed)));
      return;
    }
    FeedPage page;
    try {
      page = FeedPage.parse(response.body(), channel, roomsByChannelCode);
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
    List<Reservation> fresh = store.record(page.reservations(), page.cursor(), keep);
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
    feed.acknowledge(page.reservations())
        .whenComplete(
            (ack, ackError) -> {
              boolean ok = ackError == null && ack.acknowledged();
              String why = ok ? null : ackError != null ? ackError.toString() : ack.reason();
              if (ok) {
                store.markAcknowledged(page.reservations());
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

  @Override
  public String toString() {
    return "ReservationPoller[" + channel + " at " + baseUri + "]";
  }

  /** Builds a {@link ReservationPoller}. Not thread-safe. */
  public static final class Builder {
    private @Nullable Database db;
    private @Nullable Scheduler scheduler;
    private @Nullable Transport transport;
    private @Nullable String channel;
    private @Nullable URI baseUri;
    private @Nullable ChannelMapping mapping;
    private @Nullable Ingest ingest;
    private @Nullable ChannelPolicy policy;
    private @Nullable Credentials credentials;
    private @Nullable TokenStore tokenStore;
    private PollInterval interval = PollInterval.defaults();
    private ReservationSink sink = ReservationSink.stored();
    private @Nullable Consumer<Poll> listener;
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

    /** The HTTP transport the feed's pages and acknowledgements go through. */
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
     * default {@link HotelDefaults#policy(String)}. A 304 is always acknowledged.
     */
    public Builder withPolicy(ChannelPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Optional: credentials sent as pushes send them (API key, or OAuth2 token refreshed on a 401).
     */
    public Builder withCredentials(Credentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /** Optional: a cluster's shared OAuth2 token (the pushes'); default this poller's own. */
    public Builder withTokenStore(TokenStore tokenStore) {
      this.tokenStore = Objects.requireNonNull(tokenStore, "tokenStore");
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
