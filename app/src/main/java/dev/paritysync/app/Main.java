package dev.paritysync.app;

import dev.paritysync.core.time.Clock;
import dev.paritysync.store.StoreException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code paritysync} command line: the commands of {@code run}, {@code serve}, {@code demo},
 * {@code sim}, {@code config}, {@code queue}, {@code royalty}, {@code reconcile}, {@code cluster}
 * and {@code completion}. Used once per process from {@link #main}; not thread-safe.
 */
@Command(
    name = "paritysync",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Keeps downstream HTTP APIs at parity with a source of truth.",
    subcommands = {
      DemoCommand.class,
      SimCommand.class,
      RunCommand.class,
      ServeCommand.class,
      ConfigCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * Runs the command {@code args} name and exits with its code: 0 for success, 1 for a failure of
   * the environment (database, files, a port in use), 2 for bad input, others as each command says.
   */
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
   * is one line and exit code 1, as is a port another process holds.
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
          String bind = bindFailure(e);
          if (bind != null) {
            commandLine.getErr().println("paritysync: " + bind);
            return 1;
          }
          throw e;
        });
    return cl;
  }

  /**
   * When {@code e} is a server failing to bind its port (Jetty wraps the {@link
   * java.net.BindException}, Javalin wraps that), one line naming the port; otherwise null.
   */
  static @Nullable String bindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException) {
        String port = portIn(e);
        return "cannot listen on "
            + (port == null ? "its address" : "port " + port)
            + ": "
            + t.getMessage()
            + " (another process holds it; choose another port)";
      }
    }
    return null;
  }

  /** The port named by Javalin's bind message ("... using port N ..."), if any. */
  private static @Nullable String portIn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("port (\\d+)").matcher(String.valueOf(t.getMessage()));
      if (m.find()) {
        return m.group(1);
      }
    }
    return null;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
