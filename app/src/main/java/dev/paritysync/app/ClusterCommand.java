package dev.paritysync.app;

import dev.paritysync.app.admin.ClusterAdmin;
import dev.paritysync.app.config.EngineFileConfig;
import dev.paritysync.core.time.Clock;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import dev.paritysync.store.Dialect;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code paritysync cluster}: the workers sharing the engine's database, beside them. {@code
 * cluster status} prints what {@code GET /admin/v1/cluster} serves, from the same code ({@link
 * ClusterAdmin}).
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = {
      "The workers of run/serve sharing one database (see docs/admin-api.md#cluster).",
    },
    subcommands = {ClusterCommand.Status.class})
final class ClusterCommand implements Runnable {
  @Spec CommandSpec spec;

  /** Where heartbeat ages and lease expiries are measured from; tests set virtual time. */
  Clock clock = Clock.system();

  static ClusterCommand withClock(Clock clock) {
    ClusterCommand c = new ClusterCommand();
    c.clock = clock;
    return c;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code cluster status}. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Prints the workers (alive, heartbeat age, batches held), who holds each singleton,",
        "the shared quota keys with their pauses and the shared circuits."
      })
  static final class Status implements Callable<Integer> {
    @ParentCommand ClusterCommand parent;
    @Spec CommandSpec spec;

    @Option(
        names = "--config",
        required = true,
        description = "the YAML configuration file of run/serve")
    Path config;

    @Option(names = "--json", description = "print JSON, as GET /admin/v1/cluster answers")
    boolean json;

    @Override
    public Integer call() {
      EngineFileConfig cfg = EngineFileConfig.load(config, SecretResolver.system());
      PrintWriter out = spec.commandLine().getOut();
      try (Database db = open(cfg)) {
        ClusterAdmin.ClusterView view =
            ClusterAdmin.of(db, parent.clock, cfg.cluster().aliveWithin()).view();
        if (json) {
          out.println(QueueCommand.write(view));
          out.flush();
        } else {
          ClusterAdmin.print(view, out);
        }
      }
      return 0;
    }

    /** The configured database; a missing SQLite file is an error, never created empty. */
    private Database open(EngineFileConfig cfg) {
      String url = cfg.databaseUrl();
      if (Dialect.of(url) == Dialect.SQLITE) {
        String file = url.substring(Dialect.SQLITE.urlPrefix().length());
        int query = file.indexOf('?');
        Path path = Path.of(query < 0 ? file : file.substring(0, query));
        if (!file.startsWith(":memory:") && !Files.isRegularFile(path)) {
          throw new IllegalArgumentException(
              config + ": database.url: no database at " + path + " (has run or serve started?)");
        }
      }
      return Database.open(
          DatabaseConfig.builder()
              .withUrl(url)
              .withPoolSize(2)
              .withMigrations("classpath:db/migration/hotel")
              .build());
    }
  }
}
