package dev.paritysync.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code paritysync royalty}: the royalty commands (see docs/royalty.md). */
@Command(
    name = "royalty",
    mixinStandardHelpOptions = true,
    description = "Royalty reports: pull them from DSP APIs, validate, stage and publish them.",
    subcommands = {RoyaltyPullCommand.class})
final class RoyaltyCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
