package dev.paritysync.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code paritysync} command line. */
@Command(
    name = "paritysync",
    mixinStandardHelpOptions = true,
    version = "paritysync 0.1.0",
    description = "Keeps downstream HTTP APIs at parity with a source of truth.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
