package dev.paritysync.app;

import dev.paritysync.core.time.Clock;
import dev.paritysync.royalty.DeadLetterReplay;
import dev.paritysync.royalty.SourceConfig;
import dev.paritysync.royalty.lake.Lake;
import dev.paritysync.store.Database;
import dev.paritysync.store.QueueItem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code queue replay} of dead-lettered report rows: each is validated again against the current
 * configuration of its source ({@link DeadLetterReplay}); one line per item says what came of it.
 */
final class RoyaltyReplay {
  private RoyaltyReplay() {}

  /** What the rows came to: how many were written, how many stay open. */
  record Counts(int written, int open) {}

  /**
   * Replays {@code items} (report rows, open) into the lake at {@code lake}, with the sources of
   * {@code config} (null: the built-in ones) and their ledger entries stamped by {@code clock}.
   */
  static Counts replay(
      PrintWriter out,
      Database db,
      List<QueueItem> items,
      Path lake,
      @Nullable Path config,
      Clock clock)
      throws IOException {
    Map<String, SourceConfig> sources = RoyaltyIngestCommand.sources(config);
    if (!Files.isDirectory(lake.resolve("sales"))) {
      throw new IllegalArgumentException(
          "--lake: no lake at " + lake + " (give the --lake the reports were ingested into)");
    }
    int written = 0;
    int open = 0;
    try (Lake lakeDir = Lake.open(lake)) {
      DeadLetterReplay replay = new DeadLetterReplay(db, lakeDir, clock);
      for (QueueItem item : items) {
        String head =
            item.id()
                + "  dead-letter/"
                + item.channel()
                + "  "
                + item.evidence().get("report")
                + " line "
                + item.evidence().get("row")
                + ": ";
        DeadLetterReplay.Outcome outcome = replay.replay(item, sources);
        if (outcome instanceof DeadLetterReplay.Written w) {
          written++;
          out.println(
              head + "valid now, written to the lake with report " + w.reportId() + "; closed");
        } else if (outcome instanceof DeadLetterReplay.StillInvalid s) {
          open++;
          out.println(head + "still invalid, stays open: " + s.field() + ": " + s.reason());
        } else if (outcome instanceof DeadLetterReplay.NotReplayable n) {
          open++;
          String why = n.why();
          String where = item.evidence().get("report") + " line " + item.evidence().get("row");
          out.println(
              head
                  + "not replayed, stays open: "
                  + (why.startsWith(where + ": ") ? why.substring(where.length() + 2) : why));
        }
      }
    }
    out.printf(
        "replayed %d report row%s: %d written to the lake, %d still open%n",
        items.size(), items.size() == 1 ? "" : "s", written, open);
    return new Counts(written, open);
  }
}
