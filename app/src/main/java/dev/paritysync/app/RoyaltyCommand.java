package dev.paritysync.app;

import dev.paritysync.core.time.Clock;
import dev.paritysync.royalty.Deliveries;
import dev.paritysync.store.DatabaseConfig;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code paritysync royalty}: music-service reports into the lake (see docs/royalty.md). */
@Command(
    name = "royalty",
    mixinStandardHelpOptions = true,
    description =
        "Royalty reports: ingest files or pull them from DSP APIs into the Parquet lake;"
            + " load the catalog and check drift.",
    subcommands = {
      RoyaltyIngestCommand.class,
      RoyaltyPullCommand.class,
      RoyaltyDeliveriesCommand.class,
      RoyaltyDeadLettersCommand.class,
      CatalogCommand.class,
      DriftCommand.class
    })
final class RoyaltyCommand implements Runnable {
  @Spec CommandSpec spec;

  /** Where run times and ledger entries take their time from; tests set virtual time. */
  Clock clock = Clock.system();

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static RoyaltyCommand withClock(Clock clock) {
    RoyaltyCommand command = new RoyaltyCommand();
    command.clock = Objects.requireNonNull(clock, "clock");
    return command;
  }

  /**
   * The royalty store the subcommands open: {@code --url} or the SQLite file {@code --db} (the
   * default file when both are null), with the royalty migrations.
   *
   * @throws IllegalArgumentException when both are given
   */
  static DatabaseConfig database(@Nullable Path db, @Nullable String url, int poolSize) {
    if (db != null && url != null) {
      throw new IllegalArgumentException("--db and --url are alternatives: give one");
    }
    DatabaseConfig.Builder b =
        DatabaseConfig.builder().withPoolSize(poolSize).withMigrations(Deliveries.MIGRATIONS);
    if (url != null) {
      b.withUrl(url);
    } else if (db != null) {
      b.withSqliteFile(db);
    }
    return b.build();
  }
}
