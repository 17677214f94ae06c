package dev.paritysync.app.ui;

import dev.paritysync.app.admin.ChannelAdmin;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * What the overview shows: one row per channel, made from the admin API's {@link
 * ChannelAdmin.ChannelView} (the same numbers {@code GET /admin/v1/channels} answers), with each
 * state as text, a symbol and a colour class. Immutable.
 *
 * @param rows the channels, in configuration order
 * @param updated when the numbers were read, {@code HH:mm:ss UTC}
 * @param csrf the session's CSRF token, for the page's forms
 */
record Overview(List<Row> rows, String updated, String csrf) {

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
      String parityClass) {}

  /** The overview of {@code channels} as read at {@code now}. */
  static Overview of(List<ChannelAdmin.ChannelView> channels, Instant now, String csrf) {
    return new Overview(
        channels.stream().map(c -> row(c, now)).toList(), TIME.format(now) + " UTC", csrf);
  }

  private static Row row(ChannelAdmin.ChannelView c, Instant now) {
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
        p.cellsAtParity() == p.mappedCells() ? "ok" : "warn");
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
