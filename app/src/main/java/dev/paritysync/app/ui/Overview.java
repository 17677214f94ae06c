package dev.paritysync.app.ui;

import dev.paritysync.app.admin.ChannelAdmin;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the overview shows: one row per channel, made from the admin API's {@link
 * ChannelAdmin.ChannelView} (the same numbers {@code GET /admin/v1/channels} answers), with each
 * state as text, a symbol and a colour class. Immutable.
 *
 * @param rows the channels, in configuration order
 * @param updated when the numbers were read, {@code HH:mm:ss UTC}
 * @param csrf the session's CSRF token, for the page's forms
 */
record Overview(List<Row> rows, String updated, @Nullable String csrf) {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  /**
   * One channel.
   *
   * @param name the channel
   * @param circuit the circuit's state in words
   * @param circuitSymbol a symbol for it: ● closed, ◆ half-open, ▲ open
   * @param circuitClass {@code ok}, {@code warn} or {@code bad}
   * @param pending cells waiting to be batched
   * @param inFlight cells in a batch not yet ended
   * @param retrying batches waiting for their next attempt
   * @param dead open dead letters
   * @param reconciliation open reconciliation items
   * @param lastSuccess when the channel last acknowledged ({@code yyyy-MM-dd HH:mm:ss UTC}), or
   *     {@code never}
   * @param lastSuccessAgo how long ago that was ({@code 42 s ago}); empty when never
   * @param parity cells at parity in %, two decimals
   * @param parityDetail {@code n of m cells}
   * @param parityClass {@code ok} at 100 %, else {@code warn}
   * @param quotas each quota window of the channel, with its tokens used and left
   * @param requestsPerMinute requests (delivery attempts, by every worker) in the minute up to now
   * @param p50 the median change-to-acknowledgement latency of the last hour ({@code 850 ms},
   *     {@code 2.4 s}), or {@code –} when none
   * @param p95 its 95th percentile, likewise
   * @param latencies how many acknowledgements those were taken over
   * @param spark requests per minute over the last hour
   */
  record Row(
      String name,
      String circuit,
      String circuitSymbol,
      String circuitClass,
      long pending,
      long inFlight,
      long retrying,
      long dead,
      long reconciliation,
      String lastSuccess,
      String lastSuccessAgo,
      String parity,
      String parityDetail,
      String parityClass,
      List<QuotaCell> quotas,
      long requestsPerMinute,
      String p50,
      String p95,
      int latencies,
      Sparkline spark) {}

  /**
   * One quota window of a channel: of its keys (one per property), the one with the fewest tokens
   * left, since that one holds the channel back first.
   *
   * @param endpoint the quota endpoint ({@code ari}, {@code read}, {@code *})
   * @param limit the window as configured, such as {@code 10/1s}
   * @param used tokens taken in the window so far
   * @param left tokens it can still take
   * @param detail which key it is, and how many properties have keys; or that none was used yet
   * @param cls {@code bad} when nothing is left, {@code ok} otherwise
   */
  record QuotaCell(
      String endpoint, String limit, long used, long left, String detail, String cls) {}

  /**
   * The overview of {@code channels}, with their numbers over time {@code stats}, as read at {@code
   * now}.
   */
  static Overview of(
      List<ChannelAdmin.ChannelView> channels,
      Map<String, LiveStats.Stats> stats,
      Instant now,
      @Nullable String csrf) {
    return new Overview(
        channels.stream().map(c -> row(c, statsOf(stats, c.name()), now)).toList(),
        TIME.format(now) + " UTC",
        csrf);
  }

  private static LiveStats.Stats statsOf(Map<String, LiveStats.Stats> stats, String channel) {
    return Objects.requireNonNull(stats.get(channel), () -> "no numbers read for " + channel);
  }

  private static Row row(ChannelAdmin.ChannelView c, LiveStats.Stats stats, Instant now) {
    String circuit;
    String symbol;
    String cls;
    switch (c.circuit()) {
      case "CLOSED" -> {
        circuit = "closed";
        symbol = "●";
        cls = "ok";
      }
      case "HALF_OPEN" -> {
        circuit = "half-open";
        symbol = "◆";
        cls = "warn";
      }
      case "OPEN" -> {
        circuit = "open";
        symbol = "▲";
        cls = "bad";
      }
      default -> {
        circuit = c.circuit().toLowerCase(Locale.ROOT);
        symbol = "?";
        cls = "warn";
      }
    }
    ChannelAdmin.QueueDepths q = c.queues();
    ChannelAdmin.Parity p = c.parity();
    return new Row(
        c.name(),
        circuit,
        symbol,
        cls,
        q.pendingCells(),
        q.inFlightCells(),
        q.retryingBatches(),
        q.deadLetters(),
        q.reconciliation(),
        c.lastSuccess() == null
            ? "never"
            : DAY_TIME.format(Instant.parse(c.lastSuccess())) + " UTC",
        c.lastSuccess() == null ? "" : ago(Instant.parse(c.lastSuccess()), now),
        String.format(Locale.ROOT, "%.2f %%", p.percent()),
        p.cellsAtParity() + " of " + p.mappedCells() + " cells",
        p.cellsAtParity() == p.mappedCells() ? "ok" : "warn",
        quotas(c.quotas()),
        stats.requestsPerMinute(),
        millis(stats.p50Millis()),
        millis(stats.p95Millis()),
        stats.latencies(),
        Sparkline.of(stats.perMinute()));
  }

  /** Per endpoint and window, the key with the fewest tokens left; full when none was used. */
  static List<QuotaCell> quotas(List<ChannelAdmin.QuotaView> quotas) {
    List<QuotaCell> out = new ArrayList<>();
    for (ChannelAdmin.QuotaView q : quotas) {
      for (int i = 0; i < q.limits().size(); i++) {
        String limit = q.limits().get(i);
        ChannelAdmin.WindowView tightest = null;
        String property = null;
        for (ChannelAdmin.KeyView k : q.keys()) {
          if (i < k.windows().size()
              && (tightest == null || k.windows().get(i).left() < tightest.left())) {
            tightest = k.windows().get(i);
            property = k.property();
          }
        }
        if (tightest == null) {
          long capacity = Long.parseLong(limit.substring(0, limit.indexOf('/')));
          out.add(new QuotaCell(q.endpoint(), limit, 0, capacity, "not used yet", "ok"));
        } else {
          String detail =
              q.keys().size() == 1
                  ? "property " + property
                  : "property " + property + ", the fullest of " + q.keys().size();
          out.add(
              new QuotaCell(
                  q.endpoint(),
                  limit,
                  tightest.used(),
                  tightest.left(),
                  detail,
                  tightest.left() == 0 ? "bad" : "ok"));
        }
      }
    }
    return out;
  }

  /** {@code 850 ms}, {@code 2.4 s}, {@code 3.1 min}; {@code –} for null. */
  static String millis(@Nullable Long ms) {
    if (ms == null) {
      return "–";
    } else if (ms < 1_000) {
      return ms + " ms";
    } else if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    return String.format(Locale.ROOT, "%.1f min", ms / 60_000.0);
  }

  /** {@code just now}, {@code 42 s ago}, {@code 5 min ago}, {@code 3 h ago}, {@code 2 d ago}. */
  static String ago(Instant at, Instant now) {
    Duration d = Duration.between(at, now);
    if (d.isNegative() || d.getSeconds() < 1) {
      return "just now";
    } else if (d.toMinutes() < 1) {
      return d.getSeconds() + " s ago";
    } else if (d.toHours() < 1) {
      return d.toMinutes() + " min ago";
    } else if (d.toDays() < 1) {
      return d.toHours() + " h ago";
    }
    return d.toDays() + " d ago";
  }
}
