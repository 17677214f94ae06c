package dev.paritysync.app;

import dev.paritysync.royalty.Deliveries;
import dev.paritysync.royalty.IngestedDelivery;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code paritysync royalty deliveries}: every recorded delivery, oldest first, with its state —
 * {@code complete}, {@code incomplete} (and why) or {@code replaced} (and by which delivery).
 */
@Command(
    name = "deliveries",
    mixinStandardHelpOptions = true,
    description = {
      "Lists every delivery of royalty reports, by file or API, oldest first: when, source, report",
      "id, state (complete, incomplete, replaced), route, name, rows valid/dead, and why a delivery",
      "is incomplete or which delivery replaced it."
    })
final class RoyaltyDeliveriesCommand implements Callable<Integer> {
  @ParentCommand RoyaltyCommand parent;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--db",
      paramLabel = "FILE",
      description = "the SQLite file (default: data/paritysync.db)")
  @Nullable Path db;

  @Option(
      names = "--url",
      paramLabel = "jdbc:...",
      description = "a JDBC URL instead of --db, such as jdbc:postgresql://127.0.0.1/paritysync")
  @Nullable String url;

  @Option(names = "--source", paramLabel = "NAME", description = "only this source's deliveries")
  @Nullable String source;

  @Override
  public Integer call() {
    DatabaseConfig config = RoyaltyCommand.database(db, url, 1);
    PrintWriter out = spec.commandLine().getOut();
    try (Database database = Database.open(config)) {
      List<IngestedDelivery> all = database.read(c -> new Deliveries(parent.clock).list(c, source));
      out.println("at\tsource\treport id\tstate\troute\tdelivered as\tvalid\tdead\tnote");
      java.util.Map<String, IngestedDelivery> byId = new java.util.HashMap<>();
      all.forEach(d -> byId.put(d.id(), d));
      for (IngestedDelivery d : all) {
        out.println(line(d, byId.get(d.replacedBy())));
      }
      out.flush();
    }
    return 0;
  }

  /** One delivery as a tab-separated line; {@code by} is the delivery that replaced it, if any. */
  static String line(IngestedDelivery d, @Nullable IngestedDelivery by) {
    String note = d.complete() ? "" : d.incomplete();
    if (d.replacedBy() != null) {
      note =
          "by "
              + (by == null ? d.replacedBy() : by.report() + " (" + by.route() + ")")
              + (d.complete() ? "" : "; was incomplete: " + d.incomplete());
    }
    return String.format(
        Locale.ROOT,
        "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s",
        d.at(),
        d.source(),
        d.reportId(),
        d.state(),
        d.route(),
        d.report(),
        d.valid(),
        d.deadLettered(),
        note);
  }
}
