package dev.paritysync.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.paritysync.app.admin.ItemFilter;
import dev.paritysync.app.admin.Page;
import dev.paritysync.app.admin.QueueAdmin;
import dev.paritysync.app.admin.Views;
import dev.paritysync.core.time.Clock;
import dev.paritysync.royalty.DeadLetterReplay;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import dev.paritysync.store.QueueItem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code paritysync queue}: lists, shows, replays and discards dead-letter and reconciliation items
 * in the engine's database, beside a running engine (see docs/queues.md).
 */
@Command(
    name = "queue",
    mixinStandardHelpOptions = true,
    description = {
      "Dead-letter and reconciliation queues: batches that need a person.",
      "Works on the engine's database while the engine runs; replay makes cells pending again and",
      "the running engine sends them."
    },
    subcommands = {
      QueueCommand.ListItems.class,
      QueueCommand.ShowItem.class,
      QueueCommand.ReplayItems.class,
      QueueCommand.DiscardItems.class
    })
final class QueueCommand implements Runnable {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec CommandSpec spec;

  /** Where ages and ledger entries take their time from; tests set virtual time. */
  Clock clock = Clock.system();

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code --db} or {@code --url}: which database to open. */
  static final class StoreOptions {
    static final Path DEFAULT_FILE =
        Path.of(DatabaseConfig.DEFAULT_URL.substring("jdbc:sqlite:".length()));

    @Option(
        names = "--db",
        paramLabel = "<file>",
        description = "the engine's SQLite file (default: data/paritysync.db)")
    @Nullable Path file;

    @Option(
        names = "--url",
        paramLabel = "jdbc:...",
        description = "a JDBC URL instead of --db, such as jdbc:postgresql://127.0.0.1/paritysync")
    @Nullable String url;

    /** Opens the database; a missing SQLite file is an error, never created empty. */
    Database open() {
      if (file != null && url != null) {
        throw new IllegalArgumentException("--db and --url are alternatives: give one");
      }
      DatabaseConfig.Builder config =
          DatabaseConfig.builder().withPoolSize(2).withMigrations("classpath:db/migration/hotel");
      if (url != null) {
        config.withUrl(url);
      } else {
        Path db = file == null ? DEFAULT_FILE : file;
        if (!Files.isRegularFile(db)) {
          throw new IllegalArgumentException(
              "--db: no database at "
                  + db
                  + (file == null ? " (the default; give --db <file> or --url jdbc:...)" : ""));
        }
        config.withSqliteFile(db);
      }
      return Database.open(config.build());
    }
  }

  /** The shared admin code over the database the options name, on the command's clock. */
  record Store(Database db, QueueAdmin admin) implements AutoCloseable {
    static Store open(StoreOptions options, Clock clock) {
      Database db = options.open();
      return new Store(db, new QueueAdmin(db, clock));
    }

    @Override
    public void close() {
      db.close();
    }
  }

  static String queueName(QueueItem.Queue queue) {
    return ItemFilter.queueName(queue);
  }

  static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** {@code queue list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists queue items, oldest first: open ones unless --state says otherwise.")
  static final class ListItems implements Callable<Integer> {
    @ParentCommand QueueCommand parent;
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Option(names = "--queue", paramLabel = "dead-letter|reconciliation", description = "one queue")
    @Nullable String queue;

    @Option(names = "--channel", paramLabel = "C", description = "one channel")
    @Nullable String channel;

    @Option(
        names = "--state",
        paramLabel = "open|replayed|discarded|all",
        defaultValue = "open",
        description = "which items (default: ${DEFAULT-VALUE})")
    String state;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "50",
        description = "at most N items (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--json", description = "a JSON array instead of a table")
    boolean json;

    @Override
    public Integer call() {
      if (limit < 1) {
        throw new IllegalArgumentException("--limit: must be at least 1, was " + limit);
      }
      ItemFilter filter =
          new ItemFilter(
              channel,
              queue == null ? null : ItemFilter.parseQueue("--queue", queue),
              ItemFilter.parseState("--state", state),
              null,
              null,
              null,
              Math.min(limit, ItemFilter.MAX_LIMIT),
              null);
      List<QueueItem> items = new ArrayList<>();
      boolean more;
      try (Store s = Store.open(store, parent.clock)) {
        Page<QueueItem> page = s.admin().list(filter);
        items.addAll(page.items());
        while (page.nextCursor() != null && items.size() < limit) {
          int left = Math.min(limit - items.size(), ItemFilter.MAX_LIMIT);
          page = s.admin().list(filter.withLimit(left).withCursor(page.nextCursor()));
          items.addAll(page.items());
        }
        more = page.nextCursor() != null;
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(write(items.stream().map(Views::summary).toList()));
      } else {
        QueueFormat.table(out, items, parent.clock.instant(), !state.equals("open"));
        if (items.isEmpty()) {
          out.println("no " + (state.equals("all") ? "" : state + " ") + "items");
        } else if (more) {
          out.println("(more items: raise --limit)");
        }
      }
      out.flush();
      return 0;
    }
  }

  /** {@code queue show}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "Shows everything an item keeps: reason, batch, last request and response (redacted),"
              + " every attempt, and its ledger trail.")
  static final class ShowItem implements Callable<Integer> {
    @ParentCommand QueueCommand parent;
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Parameters(paramLabel = "ID", description = "the item's id")
    String id;

    @Option(names = "--json", description = "JSON instead of text")
    boolean json;

    @Override
    public Integer call() {
      QueueAdmin.Shown shown;
      try (Store s = Store.open(store, parent.clock)) {
        shown = s.admin().show(id);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(write(Views.detail(shown)));
      } else {
        QueueFormat.show(out, shown.item(), shown.trail(), parent.clock.instant());
      }
      out.flush();
      return 0;
    }
  }

  /** {@code queue replay}. */
  @Command(
      name = "replay",
      mixinStandardHelpOptions = true,
      description = {
        "Makes the cells of open items pending again, where their version is still the newest;",
        "the running engine sends them in new batches. This command sends nothing itself.",
        "A dead-lettered royalty report row is validated again against the current configuration",
        "(--config) and, valid now, written to its report in the lake (--lake) and closed; still",
        "invalid, it stays open with the new reason (exit 3)."
      })
  static final class ReplayItems implements Callable<Integer> {
    @ParentCommand QueueCommand parent;
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Parameters(paramLabel = "ID", arity = "0..*", description = "items to replay")
    List<String> ids = new ArrayList<>();

    @Option(names = "--all", description = "every open item (narrowed by --channel, --queue)")
    boolean all;

    @Option(names = "--channel", paramLabel = "C", description = "with --all: one channel")
    @Nullable String channel;

    @Option(
        names = "--queue",
        paramLabel = "dead-letter|reconciliation",
        description = "with --all: one queue")
    @Nullable String queue;

    @Option(
        names = "--lake",
        paramLabel = "DIR",
        defaultValue = "lake",
        description = "royalty rows: the lake's root directory (default: ${DEFAULT-VALUE})")
    Path lake;

    @Option(
        names = "--config",
        paramLabel = "FILE",
        description = "royalty rows: YAML with the sources: map to validate them with")
    @Nullable Path config;

    @Override
    public Integer call() throws IOException {
      if (all == !ids.isEmpty()) {
        throw new IllegalArgumentException("replay: give item ids or --all, not both or neither");
      }
      if (!all && (channel != null || queue != null)) {
        throw new IllegalArgumentException("replay: --channel and --queue go with --all only");
      }
      PrintWriter out = spec.commandLine().getOut();
      int code = 0;
      try (Store s = Store.open(store, parent.clock)) {
        List<QueueItem> items = new ArrayList<>();
        if (all) {
          items.addAll(openItems(s.admin()));
        } else {
          // Check every id first: one bad id replays nothing.
          List.copyOf(new LinkedHashSet<>(ids)).forEach(id -> items.add(s.admin().openItem(id)));
        }
        if (items.isEmpty()) {
          out.println("no open items to replay");
          out.flush();
          return 0;
        }
        List<QueueItem> rows = items.stream().filter(DeadLetterReplay::isReportRow).toList();
        List<QueueAdmin.Replayed> done = new ArrayList<>();
        for (QueueItem item : items) {
          if (!DeadLetterReplay.isReportRow(item)) {
            done.add(s.admin().replay(item.id()));
          }
        }
        printBatches(out, done);
        if (!rows.isEmpty()
            && RoyaltyReplay.replay(out, s.db(), rows, lake, config, parent.clock).open() > 0) {
          code = 3;
        }
      }
      out.flush();
      return code;
    }

    private List<QueueItem> openItems(QueueAdmin admin) {
      ItemFilter filter =
          new ItemFilter(
              channel,
              queue == null ? null : ItemFilter.parseQueue("--queue", queue),
              QueueItem.State.OPEN,
              null,
              null,
              null,
              ItemFilter.MAX_LIMIT,
              null);
      List<QueueItem> items = new ArrayList<>();
      Page<QueueItem> page = admin.list(filter);
      items.addAll(page.items());
      while (page.nextCursor() != null) {
        page = admin.list(filter.withCursor(page.nextCursor()));
        items.addAll(page.items());
      }
      return items;
    }

    private static void printBatches(PrintWriter out, List<QueueAdmin.Replayed> done) {
      if (done.isEmpty()) {
        return;
      }
      int pending = 0;
      for (QueueAdmin.Replayed r : done) {
        QueueItem item = r.item();
        int cells = r.cells();
        pending += cells;
        out.printf(
            "%s  %s/%s  %d cell%s pending again, %d skipped as superseded%n",
            item.id(),
            queueName(item.queue()),
            item.channel(),
            cells,
            cells == 1 ? "" : "s",
            r.superseded());
      }
      String count = done.size() + " item" + (done.size() == 1 ? "" : "s");
      if (pending == 0) {
        out.printf("replayed %s: every cell was superseded, nothing is pending again.%n", count);
      } else {
        out.printf(
            "replayed %s: %d cell%s pending again. The running engine sends %s in new"
                + " batches; this command sent nothing.%n",
            count, pending, pending == 1 ? " is" : "s are", pending == 1 ? "it" : "them");
      }
    }
  }

  /** {@code queue discard}. */
  @Command(
      name = "discard",
      mixinStandardHelpOptions = true,
      description = "Closes open items without sending them again, with a reason for the ledger.")
  static final class DiscardItems implements Callable<Integer> {
    @ParentCommand QueueCommand parent;
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Parameters(paramLabel = "ID", arity = "1..*", description = "items to discard")
    List<String> ids;

    @Option(
        names = "--reason",
        required = true,
        paramLabel = "text",
        description = "why, in words for the ledger")
    String reason;

    @Option(
        names = "--by",
        paramLabel = "who",
        description = "who decides, for the ledger (default: the user name)")
    @Nullable String by;

    @Override
    public Integer call() {
      if (reason.isBlank()) {
        throw new IllegalArgumentException("--reason: must not be blank");
      }
      PrintWriter out = spec.commandLine().getOut();
      try (Store s = Store.open(store, parent.clock)) {
        List<String> unique = List.copyOf(new LinkedHashSet<>(ids));
        s.admin()
            .discard(unique, reason, by != null ? by : System.getProperty("user.name", "unknown"));
        for (String id : unique) {
          out.println(id + "  discarded: " + reason.strip());
        }
      }
      out.flush();
      return 0;
    }
  }

  private QueueCommand() {}

  /** A command reading time from {@code clock}. */
  static QueueCommand withClock(Clock clock) {
    QueueCommand command = new QueueCommand();
    command.clock = Objects.requireNonNull(clock, "clock");
    return command;
  }
}
