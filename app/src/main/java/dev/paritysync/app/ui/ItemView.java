package dev.paritysync.app.ui;

import dev.paritysync.app.admin.QueueAdmin;
import dev.paritysync.app.admin.Views;
import dev.paritysync.royalty.DeadLetterReplay;
import dev.paritysync.store.LedgerEntry;
import dev.paritysync.store.QueueItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One queue item's evidence as its page shows it: what {@link QueueAdmin#show} returns (the item,
 * the request and response the engine recorded, redacted and cut at 16 KiB, its cells, attempts and
 * the ledger trail of its batch), put in words. The same facts {@code paritysync queue show}
 * prints.
 *
 * @param id the item's id
 * @param kind the queue's page
 * @param state the state in words with a symbol
 * @param open whether it is open (it can be replayed or discarded)
 * @param replayable whether the UI can replay it (open, and not a royalty report row)
 * @param channel the channel
 * @param property the property of its batch, or null
 * @param subject its batch's id
 * @param correlationId the ledger's correlation id, or null
 * @param entered when it entered and how long ago
 * @param closed when it left and why, or null
 * @param reason why it is here
 * @param facts further labelled facts (a report row's place and line, cells sent again)
 * @param ranges the batch's ranges in words
 * @param cells the batch's cells as room/plan/date@version, at most {@link #CELLS_SHOWN}
 * @param cellCount how many cells the batch holds
 * @param fieldErrors the field errors the channel reported
 * @param attempts every attempt, oldest first
 * @param request the last request, or null
 * @param response the last response, or null
 * @param trail the ledger entries about its batch, oldest first
 */
record ItemView(
    String id,
    QueuePages.Kind kind,
    String state,
    boolean open,
    boolean replayable,
    String channel,
    @Nullable String property,
    String subject,
    @Nullable String correlationId,
    String entered,
    @Nullable String closed,
    String reason,
    List<Fact> facts,
    List<String> ranges,
    List<String> cells,
    int cellCount,
    List<String> fieldErrors,
    List<Attempt> attempts,
    @Nullable Message request,
    @Nullable Message response,
    List<Trail> trail) {

  /** The most cells listed. */
  static final int CELLS_SHOWN = 100;

  /**
   * A labelled fact.
   *
   * @param label what it is
   * @param value its value
   */
  record Fact(String label, String value) {}

  /**
   * One attempt.
   *
   * @param number its number, from 1
   * @param status the HTTP status or the failure's kind
   * @param latency its latency in ms
   * @param delay the delay chosen after it, or "-"
   * @param action what the classification decided
   * @param fieldErrors field errors reported, or null
   */
  record Attempt(
      String number,
      String status,
      String latency,
      String delay,
      String action,
      @Nullable String fieldErrors) {}

  /**
   * A recorded request or response.
   *
   * @param line the method and URI, or the status and latency
   * @param headers each header as {@code name: value}
   * @param body the body as recorded (redacted, cut)
   * @param size its size in words, and whether it was cut
   */
  record Message(String line, List<String> headers, String body, String size) {}

  /**
   * One ledger entry.
   *
   * @param at when
   * @param kind what happened
   * @param by who decided it, or "" when it was the engine
   * @param details its other attributes as {@code name=value}
   */
  record Trail(String at, String kind, String by, String details) {}

  /** The view of {@code shown} at {@code now}. */
  static ItemView of(QueueAdmin.Shown shown, Instant now) {
    QueueItem item = shown.item();
    Map<String, Object> evidence = item.evidence();
    Map<?, ?> batch = evidence.get("batch") instanceof Map<?, ?> b ? b : Map.of();
    boolean reportRow = DeadLetterReplay.isReportRow(item);
    List<Fact> facts = facts(item, evidence, reportRow);
    List<?> cellList = list(batch.get("cells"));
    List<String> cells =
        cellList.stream()
            .limit(CELLS_SHOWN)
            .map(
                c -> {
                  List<?> l = list(c);
                  return l.stream().limit(3).map(String::valueOf).collect(Collectors.joining("/"))
                      + "@"
                      + (l.size() > 3 ? l.get(3) : "?");
                })
            .toList();
    List<String> fieldErrors =
        list(evidence.get("fieldErrors")).stream()
            .map(
                fe ->
                    fe instanceof Map<?, ?> m
                        ? m.get("path") + ": " + m.get("message")
                        : String.valueOf(fe))
            .toList();
    List<Attempt> attempts = item.attempts().stream().map(ItemView::attempt).toList();
    Message request =
        evidence.get("request") instanceof Map<?, ?> r
            ? message(r.get("method") + " " + r.get("uri"), r)
            : null;
    Message response =
        evidence.get("response") instanceof Map<?, ?> r
            ? message(r.get("status") + " (" + r.get("latencyMillis") + " ms)", r)
            : null;
    return new ItemView(
        item.id(),
        QueuePages.Kind.of(item.queue()),
        stateWords(item.state()),
        item.state() == QueueItem.State.OPEN,
        item.state() == QueueItem.State.OPEN && !reportRow,
        item.channel(),
        batch.get("property") == null ? null : String.valueOf(batch.get("property")),
        item.subject(),
        item.correlationId(),
        item.createdAt() + " (" + Overview.ago(item.createdAt(), now) + ")",
        item.closedAt() == null
            ? null
            : item.closedAt() + (item.closedReason() == null ? "" : ": " + item.closedReason()),
        item.reason(),
        facts,
        list(batch.get("ranges")).stream().map(Views::range).toList(),
        cells,
        cellList.size(),
        fieldErrors,
        attempts,
        request,
        response,
        shown.trail().stream().map(ItemView::trail).toList());
  }

  /** What the evidence says beside the batch: a report row's place, cells sent again. */
  private static List<Fact> facts(QueueItem item, Map<String, Object> evidence, boolean reportRow) {
    List<Fact> facts = new ArrayList<>();
    if (reportRow) {
      facts.add(
          new Fact(
              "Report row",
              "source "
                  + evidence.get("source")
                  + ", report "
                  + evidence.get("report")
                  + ", line "
                  + evidence.get("row")
                  + ", field "
                  + evidence.get("field")));
      facts.add(new Fact("Raw line", String.valueOf(evidence.get("excerpt"))));
      facts.add(
          new Fact(
              "Replay",
              "a report row is validated again by 'paritysync queue replay "
                  + item.id()
                  + " --lake DIR', not here"));
    }
    if (evidence.get("cellsResent") != null) {
      facts.add(
          new Fact(
              "Cells sent again", evidence.get("cellsResent") + " (not rejected by the channel)"));
    }
    return facts;
  }

  private static Attempt attempt(Map<String, Object> a) {
    return new Attempt(
        String.valueOf(a.get("attempt")),
        String.valueOf(a.get("status")),
        String.valueOf(a.get("latencyMillis")),
        a.get("delayMillis") == null ? "-" : a.get("delayMillis") + " ms",
        String.valueOf(a.get("action")),
        a.get("fieldErrors") == null ? null : String.valueOf(a.get("fieldErrors")));
  }

  /** The state in words with a symbol: ○ open, ↻ replayed, ✕ discarded. */
  static String stateWords(QueueItem.State state) {
    return switch (state) {
      case OPEN -> "○ open";
      case REPLAYED -> "↻ replayed";
      case DISCARDED -> "✕ discarded";
    };
  }

  private static Trail trail(LedgerEntry e) {
    Object by = e.attributes().get("by");
    String details =
        e.attributes().entrySet().stream()
            .filter(x -> !x.getKey().equals("by"))
            .map(x -> x.getKey() + "=" + x.getValue())
            .collect(Collectors.joining(" "));
    return new Trail(e.at().toString(), e.kind(), by == null ? "" : String.valueOf(by), details);
  }

  private static Message message(String line, Map<?, ?> m) {
    List<String> headers = new ArrayList<>();
    if (m.get("headers") instanceof Map<?, ?> h) {
      h.forEach(
          (name, values) ->
              headers.add(
                  name
                      + ": "
                      + list(values).stream()
                          .map(String::valueOf)
                          .collect(Collectors.joining(", "))));
    }
    String size =
        m.get("bodyBytes")
            + " bytes"
            + (Boolean.TRUE.equals(m.get("bodyTruncated")) ? ", cut at the recorded limit" : "");
    return new Message(
        line, headers, m.get("body") == null ? "" : String.valueOf(m.get("body")), size);
  }

  private static List<?> list(@Nullable Object value) {
    return value instanceof List<?> l ? l : List.of();
  }
}
