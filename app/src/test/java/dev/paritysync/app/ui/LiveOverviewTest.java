package dev.paritysync.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.app.admin.ChannelAdmin;
import dev.paritysync.app.server.SlowPeers;
import dev.paritysync.app.testing.RunsAlone;
import dev.paritysync.core.quota.QuotaKey;
import dev.paritysync.store.Ledger;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live overview over real HTTP, a real SQLite file and virtual time: quota used and left per
 * window, requests per minute, change-to-acknowledgement p50 and p95, last success and the
 * sparkline from ledger rows at known times; the event stream, its heartbeat, its bound (beside,
 * not inside, {@code server.maxConcurrentRequests}) and its end when the server drains.
 */
@RunsAlone
@Timeout(60)
class LiveOverviewTest {
  private static final String TOKEN = "live-admin-token";
  private static final String YAML =
      UiFixture.YAML + "    resilience: {quotas: {ari: [\"10/1s\", \"1000/1h\"]}}\n";
  private static final DateTimeFormatter HH_MM_SS =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final Pattern ROW =
      Pattern.compile("<tr data-channel=\"a\">.*?</tr>", Pattern.DOTALL);

  @TempDir Path dir;
  private UiFixture ui;
  private final HttpClient sse =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @AfterEach
  void close() {
    if (ui != null) {
      ui.close();
    }
  }

  @Test
  void theOverviewShowsQuotaPerWindowRequestsLatenciesAndTheLastHour() {
    ui = new UiFixture(dir, TOKEN, YAML, SlowPeers.DEFAULTS);
    String cookie = ui.session(TOKEN);
    Instant now = Instant.parse("2026-03-01T02:00:00Z");
    Ledger ledger = new Ledger(ui.time);

    // An acknowledgement older than the hour: not among the latencies.
    ui.time.advance(Duration.ofMinutes(58));
    append(ledger, "batch.acknowledged", 1, 999_999);
    // 2 requests half an hour before now; 10 acknowledgements 100..1000 ms after their change, 20 s
    // before now; 4 requests 10 s before now.
    ui.time.advance(Duration.ofMinutes(32));
    append(ledger, "attempt", 2, -1);
    ui.time.advance(Duration.ofMinutes(30).minusSeconds(20));
    for (int i = 1; i <= 10; i++) {
      append(ledger, "batch.acknowledged", 1, i * 100);
    }
    Instant lastAck = ui.time.instant();
    ui.time.advance(Duration.ofSeconds(10));
    append(ledger, "attempt", 4, -1);
    ui.time.advance(Duration.ofSeconds(10));
    assertThat(ui.time.instant()).isEqualTo(now);
    // 3 tokens taken of property P1's windows, by a request that was answered
    QuotaKey p1 = new QuotaKey("a", "P1", "ari");
    assertThat(ui.engine.quotas().tryTake(p1, 3)).isZero();
    ui.engine.quotas().released(p1, now, true);

    String row = row(ui.get("/ui", cookie).body());
    assertThat(row)
        .contains(
            "data-quota=\"ari 10/1s\"><span class=\"state ok\">ari 10/1s</span><br><span"
                + " data-used>3</span> used, <span data-left>7</span> left<br><span"
                + " class=\"note\">property P1</span>",
            "ari 1000/1h</span><br><span data-used>3</span> used, <span data-left>997</span> left",
            "<span data-rpm>4</span>",
            "p50 <span data-p50>500 ms</span>",
            "p95 <span data-p95>1.0 s</span>",
            "n = 10, last hour",
            "2026-03-01 01:59:40 UTC",
            "20 s ago",
            "last hour: 6");
    assertThat(lastAck).isEqualTo(Instant.parse("2026-03-01T01:59:40Z"));
    // 60 points, one a minute: 2 half an hour ago (minute 29), 4 in the last minute (the top)
    List<Long> perMinute = new ArrayList<>(Collections.nCopies(60, 0L));
    perMinute.set(29, 2L);
    perMinute.set(59, 4L);
    Sparkline spark = Sparkline.of(perMinute);
    assertThat(spark.points()).startsWith("0.0,23.0 2.0,23.0 ").endsWith(" 118.0,1.0");
    assertThat(spark.points()).contains(" 58.0,12.0 ");
    assertThat(row)
        .contains(
            "<polyline class=\"spark-line\" points=\"" + spark.points() + "\"/>",
            "aria-label=\"Requests per minute over the last hour: 6 in all, at most 4 a minute\"")
        .doesNotContain("style=");

    // The admin view carries each window's used and left too.
    ChannelAdmin.KeyView key =
        new ChannelAdmin(ui.engine, ui.db).channel("a").quotas().get(0).keys().get(0);
    assertThat(key.windows())
        .containsExactly(
            new ChannelAdmin.WindowView("10/1s", 3, 7),
            new ChannelAdmin.WindowView("1000/1h", 3, 997));

    // A minute later the 1 s window has refilled (how far is the gate's business: it may count a
    // request that ended near a boundary in the next window too), the hour's has not; the last
    // minute's requests have left the requests per minute, not the hour.
    ui.time.advance(Duration.ofMinutes(1));
    row = row(ui.get("/ui", cookie).body());
    Matcher second =
        Pattern.compile("ari 10/1s</span><br><span data-used>(\\d+)</span> used").matcher(row);
    assertThat(second.find()).as(row).isTrue();
    assertThat(Integer.parseInt(second.group(1))).isLessThan(3);
    assertThat(row)
        .contains(
            "ari 1000/1h</span><br><span data-used>3</span> used, <span data-left>997</span> left",
            "<span data-rpm>0</span>",
            "last hour: 6",
            "1 min ago");
  }

  @Test
  void theStreamSendsTheTableThenUpdatesAndHeartbeats() throws Exception {
    ui = new UiFixture(dir, TOKEN, YAML, SlowPeers.DEFAULTS);
    String cookie = ui.session(TOKEN);
    Events events = open(cookie);
    assertThat(events.status).isEqualTo(200);
    String first = events.next();
    assertThat(first).startsWith("event: channels").contains("<tr data-channel=\"a\">");
    assertThat(first).contains("<span data-rpm>0</span>");

    // Nothing changed and no time passed: a heartbeat comment.
    ui.routes.live().push();
    assertThat(events.next()).isEqualTo(": heartbeat");

    // Two requests: the next tick sends the table with them.
    append(new Ledger(ui.time), "attempt", 2, -1);
    ui.time.advance(LiveStreams.TICK);
    assertThat(events.next()).startsWith("event: channels").contains("<span data-rpm>2</span>");

    // The page loads htmx's SSE extension from the jar.
    assertThat(ui.get("/ui", cookie).body())
        .contains("<script src=\"/ui/static/sse.js\" defer></script>", "sse-connect=\"/ui/live\"");
    HttpResponse<String> extension = ui.get("/ui/static/sse.js", null);
    assertThat(extension.statusCode()).isEqualTo(200);
    assertThat(extension.body()).contains("htmx.defineExtension('sse'");

    // Without Accept: text/event-stream it is no stream but a page saying so.
    HttpResponse<String> plain = ui.get("/ui/live", cookie);
    assertThat(plain.statusCode()).isEqualTo(406);
    assertThat(plain.body()).contains("/ui/live is an event stream");

    // Past its lifetime the stream ends (the browser would connect again), and ticks stop.
    assertThat(ui.routes.live().size()).isEqualTo(1);
    ui.time.advance(LiveStreams.MAX_LIFETIME);
    String rest = events.rest();
    assertThat(rest)
        .as("read to the stream's end: a whole event, then nothing")
        .endsWith("data: </div>\n\n");
    assertThat(ui.routes.live().size()).isZero();
    assertThat(ui.time.pending()).as("no tick scheduled once no stream is open").isZero();
  }

  @Test
  void streamsAreBoundedBesideTheRequestLimitAndEndWhenTheServerDrains() throws Exception {
    ui = new UiFixture(dir, TOKEN, YAML, new SlowPeers(Duration.ofSeconds(10), 1024, 2));
    String cookie = ui.session(TOKEN);
    List<Events> open = new ArrayList<>();
    for (int i = 0; i < LiveStreams.MAX; i++) {
      Events e = open(cookie);
      assertThat(e.status).as("stream %d", i).isEqualTo(200);
      assertThat(e.next()).startsWith("event: channels");
      open.add(e);
    }
    // 16 streams open, and a server that admits 2 requests at a time still answers pages.
    assertThat(ui.get("/ui", cookie).statusCode()).isEqualTo(200);
    assertThat(ui.get("/ui/channels", cookie).statusCode()).isEqualTo(200);

    Events refused = open(cookie);
    assertThat(refused.status).isEqualTo(503);
    assertThat(refused.rest())
        .contains(LiveStreams.MAX + " live overviews are open (the most this server streams");
    assertThat(ui.routes.live().size()).isEqualTo(LiveStreams.MAX);

    // The drain ends every stream at once (and the server stops, held back by none of them).
    ui.server.close();
    for (Events e : open) {
      assertThat(e.rest()).doesNotContain("event: channels");
    }
    assertThat(ui.routes.live().size()).isZero();
    assertThat(ui.server.draining()).isTrue();
  }

  @Test
  void aPageThatStopsReadingHoldsBackNoOther() throws Exception {
    String yaml = fortyChannelsMore();
    // Connections may idle 2 minutes, so the stalled page's write stays blocked through the test
    // (and before writes had their own threads, every tick waited on it).
    ui = new UiFixture(dir, TOKEN, yaml, new SlowPeers(Duration.ofMinutes(2), 1024, 64));
    String cookie = ui.session(TOKEN);
    Events reading = open(cookie);
    assertThat(reading.next()).startsWith("event: channels");
    BlockingQueue<String> got = readInTheBackground(reading);
    try (Socket stalled = new Socket()) {
      // A page that opens the stream, reads its headers and then nothing, through a small window.
      stalled.setReceiveBufferSize(2048);
      stalled.connect(new InetSocketAddress("127.0.0.1", ui.server.port()));
      stalled
          .getOutputStream()
          .write(
              ("GET /ui/live HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                      + "Cookie: "
                      + cookie
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = stalled.getInputStream();
      for (int state = 0; state < 4; ) { // up to the blank line after the headers
        int b = in.read();
        assertThat(b).as("the stalled page's response headers").isNotNegative();
        state = (b == (state % 2 == 0 ? '\r' : '\n')) ? state + 1 : (b == '\r' ? 1 : 0);
      }
      // The headers go out before the stream is registered; its first event comes after. So read
      // up to that event's first line (chunk size, then "event: channels"), and nothing more.
      String first = "event: channels";
      StringBuilder seenSoFar = new StringBuilder();
      while (seenSoFar.indexOf(first) < 0) {
        int b = in.read();
        assertThat(b).as("the stalled page's first event, after %s", seenSoFar).isNotNegative();
        seenSoFar.append((char) b);
        assertThat(seenSoFar.length()).as("bytes before the first event").isLessThan(64);
      }
      assertThat(ui.routes.live().size()).isEqualTo(2);

      // Ticks until its write blocks for good (its window and the server's buffers full): every
      // tick skips it.
      int stuck = 0;
      for (int tick = 0; stuck < 20; tick++) {
        assertThat(tick)
            .as("the stalled page's writes block within a stream's life")
            .isLessThan(250);
        ui.time.advance(LiveStreams.TICK);
        stuck = ui.routes.live().skipped() > 0 ? stuck + 1 : 0;
      }

      // The reading page still gets the table of a tick while the stalled one holds its write.
      boolean seen = false;
      for (int tick = 0; tick < 20 && !seen; tick++) {
        ui.time.advance(LiveStreams.TICK);
        String want = "<span id=\"updated\">" + HH_MM_SS.format(ui.time.instant()) + " UTC";
        for (String e = got.poll(10, TimeUnit.SECONDS); e != null && !seen; e = got.poll()) {
          seen = e.contains(want);
        }
      }
      assertThat(seen).as("the reading page got a tick's table after the other stalled").isTrue();
      assertThat(ui.routes.live().skipped()).as("streams skipped, the stalled one").isPositive();
    }
  }

  /**
   * The fixture's configuration with 40 channels more, so that each tick's table is large (~150 KB)
   * and a page that does not read fills its buffers within a stream's lifetime.
   */
  private static String fortyChannelsMore() {
    StringBuilder yaml = new StringBuilder(UiFixture.YAML);
    for (int i = 0; i < 40; i++) {
      yaml.append(
          UiFixture.YAML
              .substring(UiFixture.YAML.indexOf("  a:\n"))
              .replace("  a:", "  c" + i + ":"));
    }
    return yaml.toString();
  }

  /**
   * A page that reads every event of {@code stream}, on a daemon thread, into the queue returned.
   */
  private static BlockingQueue<String> readInTheBackground(Events stream) {
    BlockingQueue<String> got = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                for (; ; ) {
                  got.add(stream.next());
                }
              } catch (IOException e) {
                // the stream ended
              }
            },
            "reading-page");
    reader.setDaemon(true);
    reader.start();
    return got;
  }

  private void append(Ledger ledger, String kind, int n, long changeToAckMillis) {
    ui.db.inTransaction(
        c -> {
          for (int i = 0; i < n; i++) {
            var e = ledger.entry(kind).withChannel("a").withSubject("batch-" + i);
            if (changeToAckMillis >= 0) {
              e.withAttribute("changeToAckMillis", changeToAckMillis);
            }
            ledger.append(c, e.build());
          }
          return null;
        });
  }

  private static String row(String page) {
    Matcher m = ROW.matcher(page);
    assertThat(m.find()).as("channel a's row in %s", page).isTrue();
    return m.group();
  }

  private Events open(String cookie) throws IOException, InterruptedException {
    HttpResponse<java.io.InputStream> r =
        sse.send(
            HttpRequest.newBuilder(ui.uri("/ui/live"))
                .header("Accept", "text/event-stream")
                .header("Cookie", cookie)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    return new Events(
        r.statusCode(),
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8)));
  }

  /** An open stream, read a message (up to a blank line) at a time. */
  private record Events(int status, BufferedReader in) {
    String next() throws IOException {
      StringBuilder b = new StringBuilder();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isEmpty()) {
          if (b.length() > 0) {
            return b.toString();
          }
          continue;
        }
        b.append(b.length() == 0 ? "" : "\n").append(line);
        if (line.startsWith(":")) {
          return b.toString();
        }
      }
      throw new IOException("the stream ended after: " + b);
    }

    /** Everything up to the stream's end. */
    String rest() throws IOException {
      StringBuilder b = new StringBuilder();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        b.append(line).append('\n');
      }
      return b.toString();
    }
  }
}
