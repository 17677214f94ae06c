package dev.paritysync.royalty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.core.time.Clock;
import dev.paritysync.royalty.lake.Lake;
import dev.paritysync.royalty.lake.ReportWriter;
import dev.paritysync.royalty.validate.RowValidator;
import dev.paritysync.royalty.validate.Validated;
import dev.paritysync.store.Database;
import dev.paritysync.store.Ledger;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Validates a royalty dead letter again, against the current configuration of its source, after a
 * person fixed it (a territory alias, a sale-type code, a date format): a row that is valid now is
 * added to its report in the lake and the dead letter closed as replayed; a row still invalid stays
 * open with the new reason. Not thread-safe (the lake is not).
 *
 * <p><b>Exactly once.</b> The row is written beside its report's files as {@code
 * r-<reportKey>-dl-<item id>-0.parquet} ({@link ReportWriter#commitBeside}), then the item is
 * closed in one transaction with its ledger entries ({@code queue.replayed}, {@code
 * royalty.row.replayed}). A crash between the two leaves the item open; replaying it again rewrites
 * the same file, so the row is in the lake once. A closed item is not replayed again. The row
 * belongs to its report: the report's next delivery replaces its files, the replayed row's with
 * them.
 *
 * <p>What is validated is the row's field values as the parser read them ({@link
 * DeadLetterRow#values()}); a new column mapping needs the report ingested again, and so does a row
 * whose line's fields could not be trusted (a cell too many, a line cut off).
 */
public final class DeadLetterReplay {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database database;
  private final Lake lake;
  private final Ledger ledger;
  private final Queues queues;

  /**
   * Replays into {@code lake} and {@code database} (migrated with {@link Deliveries#MIGRATIONS}).
   */
  public DeadLetterReplay(Database database, Lake lake, Clock clock) {
    this.database = Objects.requireNonNull(database, "database");
    this.lake = Objects.requireNonNull(lake, "lake");
    this.ledger = new Ledger(clock);
    this.queues = new Queues(ledger, clock);
  }

  /** What a replay came to. */
  public sealed interface Outcome permits Written, StillInvalid, NotReplayable {
    /** The item as it was before the replay. */
    QueueItem item();
  }

  /**
   * The row is valid now: it is in the lake, the item closed as replayed.
   *
   * @param reportId the report whose files it was added to
   * @param row the row as written
   */
  public record Written(QueueItem item, String reportId, SalesRow row) implements Outcome {}

  /**
   * The row is still invalid; the item stays open with this reason.
   *
   * @param field the field that fails now
   * @param reason why
   */
  public record StillInvalid(QueueItem item, String field, String reason) implements Outcome {}

  /**
   * The row cannot be validated again; nothing changed.
   *
   * @param why what to do instead, in words
   */
  public record NotReplayable(QueueItem item, String why) implements Outcome {}

  /**
   * Whether {@code item} is a dead-lettered report row (entered by {@link DeadLetterWriter}), as
   * opposed to a hotel batch.
   */
  public static boolean isReportRow(QueueItem item) {
    Map<String, Object> e = item.evidence();
    return item.queue() == QueueItem.Queue.DEAD_LETTER
        && e.get("report") != null
        && e.get("row") instanceof Number
        && e.get("field") != null
        && !e.containsKey("batch");
  }

  /**
   * Validates the open report-row dead letter {@code item} again with its source's configuration
   * from {@code sources} (a source pulled from a DSP API and not in it: the JSON defaults).
   *
   * @throws IllegalArgumentException when {@code item} is not a report row or not open
   */
  public Outcome replay(QueueItem item, Map<String, SourceConfig> sources) {
    if (!isReportRow(item)) {
      throw new IllegalArgumentException("queue item " + item.id() + " is not a report row");
    }
    QueueItem now = database.read(c -> queues.show(c, item.id())).orElse(item);
    if (now.state() != QueueItem.State.OPEN) {
      throw new IllegalArgumentException(
          "queue item "
              + item.id()
              + " is already "
              + now.state().name().toLowerCase(Locale.ROOT)
              + " (at "
              + now.closedAt()
              + ")");
    }
    String source = item.channel();
    String report = String.valueOf(item.evidence().get("report"));
    long line = ((Number) Objects.requireNonNull(item.evidence().get("row"), "row")).longValue();
    String where = report + " line " + line;
    if (!(item.evidence().get("values") instanceof Map<?, ?> raw)) {
      return new NotReplayable(
          item,
          where
              + ": the dead letter keeps no field values (entered before they were kept);"
              + " ingest the report again");
    }
    if (raw.isEmpty()) {
      return new NotReplayable(
          item,
          where
              + ": the line's fields cannot be trusted ("
              + item.reason()
              + "); correct the report and ingest it again");
    }
    String[] current = database.read(c -> currentDelivery(c, source, report)).orElse(null);
    if (current == null) {
      return new NotReplayable(
          item,
          where
              + ": report "
              + report
              + " of source "
              + source
              + " has no current delivery (replaced, or never recorded); ingest it again");
    }
    SourceConfig config = sources.get(source);
    if (config == null && current[1].equals("api")) {
      config = SourceConfig.defaults(source, SourceConfig.Format.JSON);
    }
    if (config == null) {
      return new NotReplayable(
          item,
          "source '"
              + source
              + "' is not configured (known: "
              + String.join(", ", sources.keySet())
              + "); give the --config it was ingested with");
    }
    Map<Field, String> values = new EnumMap<>(Field.class);
    raw.forEach((k, v) -> values.put(Field.ofKey(String.valueOf(k)), String.valueOf(v)));
    RawRow row =
        new RawRow(
            source,
            report,
            line,
            values,
            List.of(),
            String.valueOf(item.evidence().getOrDefault("excerpt", "")));
    Validated result = new RowValidator(config).validate(row);
    if (result instanceof Validated.Invalid invalid) {
      DeadLetterRow dead = invalid.deadLetter();
      database.inTransactionRun(c -> stillInvalid(c, item, dead));
      return new StillInvalid(item, dead.field(), dead.reason());
    }
    SalesRow valid = ((Validated.Valid) result).row();
    return write(item, current[0], valid);
  }

  private Written write(QueueItem item, String reportId, SalesRow row) {
    String tag = "dl-" + item.id().toLowerCase(Locale.ROOT);
    try (ReportWriter writer = lake.begin(row.source(), row.report())) {
      writer.accept(row);
      writer.commitBeside(reportId, tag);
    }
    boolean closed =
        database.inTransaction(
            c -> {
              if (!queues.markReplayed(c, item.id())) {
                return false;
              }
              ledger.append(
                  c,
                  ledger
                      .entry("royalty.row.replayed")
                      .withCorrelationId(item.correlationId())
                      .withChannel(item.channel())
                      .withSubject(item.subject())
                      .withAttribute("item", item.id())
                      .withAttribute("reportId", reportId)
                      .withAttribute("row", row.rowNumber())
                      .withAttribute("was", item.reason())
                      .build());
              return true;
            });
    if (!closed) {
      try (ReportWriter writer = lake.begin(row.source(), row.report())) {
        writer.commitBeside(reportId, tag); // no rows: takes the row out again
      }
      throw new IllegalArgumentException(
          "queue item " + item.id() + " was closed meanwhile; its row is not in the lake");
    }
    return new Written(item, reportId, row);
  }

  private void stillInvalid(Connection c, QueueItem item, DeadLetterRow dead) throws SQLException {
    String reason = dead.field() + ": " + dead.reason();
    Map<String, Object> evidence = new LinkedHashMap<>(item.evidence());
    evidence.put("field", dead.field());
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE queue_items SET reason = ?, evidence = ? WHERE id = ? AND state = 'open'")) {
      ps.setString(1, reason);
      ps.setString(2, json(evidence));
      ps.setString(3, item.id());
      if (ps.executeUpdate() != 1) {
        throw new IllegalArgumentException("queue item " + item.id() + " was closed meanwhile");
      }
    }
    ledger.append(
        c,
        ledger
            .entry("royalty.row.still_invalid")
            .withCorrelationId(item.correlationId())
            .withChannel(item.channel())
            .withSubject(item.subject())
            .withAttribute("item", item.id())
            .withAttribute("reason", reason)
            .withAttribute("was", item.reason())
            .build());
  }

  /** The report id and route of the current delivery named {@code report}, if any. */
  private static Optional<String[]> currentDelivery(Connection c, String source, String report)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT report_id, route FROM royalty_deliveries WHERE source = ? AND report = ?"
                + " AND replaced_by IS NULL ORDER BY ingested_at DESC, id DESC")) {
      ps.setString(1, source);
      ps.setString(2, report);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new String[] {rs.getString(1), rs.getString(2)})
            : Optional.empty();
      }
    }
  }

  private static String json(Map<String, Object> evidence) {
    try {
      return JSON.writeValueAsString(evidence);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write evidence: " + e.getMessage(), e);
    }
  }
}
