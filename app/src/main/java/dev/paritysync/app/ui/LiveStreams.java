package dev.paritysync.app.ui;

import dev.paritysync.app.server.ApiServer;
import dev.paritysync.core.time.Clock;
import dev.paritysync.core.time.Scheduler;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The overview's server-sent event streams ({@code GET /ui/live}), which htmx's SSE extension swaps
 * into the page: every {@link #TICK} each open stream gets the channel table as event {@code
 * channels}, rendered once for all of them (so the database is read once per tick however many
 * pages watch), or a heartbeat comment when the table did not change since it last got one.
 *
 * <p>A stream must not hurt the server: it gives back its request's admission slot at once ({@link
 * ApiServer#detach}) and is bounded here instead, at most {@link #MAX} at a time (the next is
 * refused with 503 saying so); it ends after {@link #MAX_LIFETIME} (the browser's EventSource
 * connects again), when its session ends, and at once when the server begins to drain. Ticks run on
 * the injected {@link Scheduler} and only while a stream is open. Thread-safe.
 *
 * <p>A page that stops reading must not hold back the others: a write blocks until the client takes
 * the bytes (or Jetty's idle timeout ends it), so each stream is written on its own writer thread
 * (at most {@link #MAX}, one per open stream), one write at a time; a tick finding a stream's last
 * write still blocked skips that stream, which gets the table again when it reads.
 */
final class LiveStreams {
  /** The most streams open at once. */
  static final int MAX = 16;

  /** How often streams are sent the table, or a heartbeat. */
  static final Duration TICK = Duration.ofSeconds(2);

  /** The longest a stream stays open; the browser then connects again. */
  static final Duration MAX_LIFETIME = Duration.ofMinutes(10);

  /** The event that carries the table. */
  static final String EVENT = "channels";

  private static final Logger log = LoggerFactory.getLogger(LiveStreams.class);

  private final Scheduler scheduler;
  private final Clock clock;
  private final Sessions sessions;
  private final Supplier<String> table;
  private final Set<Stream> open = ConcurrentHashMap.newKeySet();
  private final ExecutorService writers =
      Executors.newFixedThreadPool(
          MAX,
          r -> {
            Thread t = new Thread(r, "ui-live-writer");
            t.setDaemon(true);
            return t;
          });
  private int reserved;
  private boolean ticking;
  private boolean draining;
  private volatile int skipped;

  /** Streams of {@code table} (rendered once per tick), for {@code sessions}' sessions. */
  LiveStreams(Scheduler scheduler, Sessions sessions, Supplier<String> table) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.clock = scheduler.clock();
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.table = Objects.requireNonNull(table, "table");
  }

  /** One open stream. Its writes are made under its lock. */
  private static final class Stream {
    final SseClient client;
    final String session;
    final Instant opened;
    final AtomicBoolean writing = new AtomicBoolean();
    @Nullable String sent;

    Stream(SseClient client, String session, Instant opened) {
      this.client = client;
      this.session = session;
      this.opened = opened;
    }

    synchronized void send(String html) {
      if (html.equals(sent)) {
        client.sendComment("heartbeat");
      } else {
        client.sendEvent(EVENT, html);
        sent = html;
      }
    }
  }

  /**
   * Opens a stream for the request {@code ctx} of {@code session}, which must ask for {@code
   * text/event-stream}.
   *
   * @throws UiException 406 when it asks for something else; 503 when {@link #MAX} streams are open
   *     or the server is draining
   */
  void open(Context ctx, Sessions.Session session) {
    if (!"text/event-stream".equals(ctx.header("Accept"))) {
      throw new UiException(
          406,
          "Not acceptable",
          UiRoutes.PREFIX
              + "/live is an event stream: ask for it with Accept: text/event-stream, or open "
              + UiRoutes.PREFIX
              + " to see the overview");
    }
    reserve(ctx);
    ApiServer.detach(ctx);
    try {
      new SseHandler(client -> start(client, session)).handle(ctx);
    } catch (RuntimeException | Error e) {
      unreserve();
      throw e;
    }
  }

  private synchronized void reserve(Context ctx) {
    if (draining) {
      throw new UiException(
          503, "Shutting down", "the server is shutting down; reload the page later");
    }
    if (reserved >= MAX) {
      ctx.header("Retry-After", Long.toString(MAX_LIFETIME.toSeconds()));
      throw new UiException(
          503,
          "Too many live pages",
          MAX
              + " live overviews are open (the most this server streams at once); this page"
              + " shows current values when reloaded");
    }
    reserved++;
  }

  private synchronized void unreserve() {
    reserved--;
  }

  private void start(SseClient client, Sessions.Session session) {
    Stream s = new Stream(client, session.id(), clock.instant());
    client.onClose(
        () -> {
          if (open.remove(s)) {
            unreserve();
          }
        });
    open.add(s);
    boolean tick;
    synchronized (this) {
      if (draining) {
        client.close();
        return;
      }
      tick = !ticking;
      ticking = true;
    }
    try {
      s.send(table.get());
    } catch (RuntimeException e) {
      log.warn("the live overview could not be read: {}", e.toString());
      client.sendComment("heartbeat");
    }
    if (tick) {
      scheduler.schedule(TICK, this::tick);
    }
    client.keepAlive();
  }

  /** {@link #push}, then the next tick while a stream is open. */
  private void tick() {
    try {
      push();
    } finally {
      synchronized (this) {
        ticking = !open.isEmpty() && !draining;
        if (ticking) {
          scheduler.schedule(TICK, this::tick);
        }
      }
    }
  }

  /** Sends every open stream the table or a heartbeat, and ends those past their time. */
  void push() {
    try {
      Instant now = clock.instant();
      String html = null;
      int skips = 0;
      for (Stream s : open) {
        if (Duration.between(s.opened, now).compareTo(MAX_LIFETIME) >= 0
            || sessions.find(s.session).isEmpty()) {
          s.client.close();
          continue;
        }
        if (html == null) {
          html = table.get();
        }
        if (offer(s, html)) {
          skips++;
        }
      }
      skipped = skips;
    } catch (RuntimeException e) {
      log.warn("the live overview could not be read: {}", e.toString());
    }
  }

  /**
   * Writes {@code html} to {@code s} on a writer thread, unless its last write is still blocked;
   * returns whether it was skipped.
   */
  private boolean offer(Stream s, String html) {
    if (!s.writing.compareAndSet(false, true)) {
      return true; // it has not taken the last one yet: skip this tick for it
    }
    try {
      writers.execute(
          () -> {
            try {
              s.send(html);
            } catch (RuntimeException e) {
              log.debug("a live overview stream could not be written: {}", e.toString());
              s.client.close();
            } finally {
              s.writing.set(false);
            }
          });
    } catch (RejectedExecutionException e) {
      s.writing.set(false); // draining: the stream is being closed
    }
    return false;
  }

  /** How many streams the last tick skipped because their previous write was still blocked. */
  int skipped() {
    return skipped;
  }

  /**
   * The streams open now, each counted from before its response headers go out (Javalin's {@code
   * SseHandler} sends them, then starts the stream on another thread) until it ends.
   */
  synchronized int size() {
    return reserved;
  }

  /** Ends every stream and refuses new ones: the server is draining. */
  void drain() {
    synchronized (this) {
      draining = true;
    }
    for (Stream s : open) {
      s.client.close();
    }
    writers.shutdown();
  }
}
