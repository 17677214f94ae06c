package dev.paritysync.app;

import dev.paritysync.core.time.Clock;
import java.util.Objects;
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
}
