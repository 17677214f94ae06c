package dev.paritysync.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code paritysync royalty}: DSP reports, the lake, the catalog and drift (docs/royalty.md). */
@Command(
    name = "royalty",
    mixinStandardHelpOptions = true,
    description = "Royalty reports: the Parquet lake, the label's catalog and drift.",
    subcommands = {CatalogCommand.class, DriftCommand.class})
final class RoyaltyCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
