package dev.paritysync.app;

import dev.paritysync.core.time.Clock;
import dev.paritysync.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code paritysync} command line. */
@Command(
    name = "paritysync",
    mixinStandardHelpOptions = true,
    version = "paritysync 0.1.0",
    description = "Keeps downstream HTTP APIs at parity with a source of truth.",
    subcommands = {
      DemoCommand.class,
      SimCommand.class,
      RunCommand.class,
      ServeCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line, with errors in configuration reported as one line naming the culprit. */
  static CommandLine commandLine() {
    return commandLine(Clock.system());
  }

  /**
   * The command line reading time from {@code clock}. Bad input ({@link IllegalArgumentException})
   * is one line and exit code 2; a database that cannot be opened or written ({@link
   * StoreException}), or a file or directory that cannot be ({@link java.io.UncheckedIOException}),
   * is one line and exit code 1.
   */
  static CommandLine commandLine(Clock clock) {
    CommandLine cl = new CommandLine(new Main());
    cl.addSubcommand("queue", QueueCommand.withClock(clock));
    cl.addSubcommand("royalty", RoyaltyCommand.withClock(clock));
    cl.addSubcommand("reconcile", ReconcileCommand.withClock(clock));
    cl.addSubcommand("cluster", ClusterCommand.withClock(clock));
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof IllegalArgumentException) {
            commandLine.getErr().println("paritysync: " + e.getMessage());
            return 2;
          }
          if (e instanceof StoreException || e instanceof java.io.UncheckedIOException) {
            commandLine.getErr().println("paritysync: " + e.getMessage());
            return 1;
          }
          throw e;
        });
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
