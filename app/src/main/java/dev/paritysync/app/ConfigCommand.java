package dev.paritysync.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code paritysync config}: commands about configuration files. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Configuration files: check one before you deploy it (see docs/running.md).",
    subcommands = {ConfigCommand.Check.class})
final class ConfigCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * {@code paritysync config check FILE...}: exit 0 and a description of each file (one line per
   * channel or source) when every file is valid; exit 2 and one line naming the file and the key
   * path of the first error otherwise (through {@link Main}'s handler).
   */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Loads each FILE as the commands that read it do and checks everything they check before",
        "they open anything: every channel (adapter, options, credentials, mapping, limits,",
        "resilience, quotas, reservations, webhook), the database URL, portfolio, cluster,",
        "reconciliation, server and telemetry sections; or, for a royalty file (a sources: map,",
        "a drift: section), every source and the drift thresholds. Opens no database or",
        "connection and creates no file. Exit 0 with one line per channel or source; exit 2",
        "with the key path of the first error. A secret reference or ${NAME} variable the",
        "environment cannot resolve here is a note (the check uses a placeholder), unless",
        "--strict."
      })
  static final class Check implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(
        arity = "1..*",
        paramLabel = "FILE",
        description = "the YAML files to check, in order; the first error stops the check")
    List<Path> files;

    @Option(
        names = "--kind",
        defaultValue = "auto",
        paramLabel = "auto|engine|royalty",
        description = {
          "engine: the file of run and serve; royalty: the --config of the royalty commands;",
          "auto: royalty when the file has sources: or drift: and no channels: or portfolio:",
          "(default: ${DEFAULT-VALUE})"
        })
    String kind;

    @Option(
        names = "--strict",
        description = {
          "also fail when this machine is not ready to run the file: a secret reference that",
          "cannot be resolved, an unset ${NAME}, a SQLite directory that does not exist"
        })
    boolean strict;

    /** Where environment variables come from; tests replace it. */
    Function<String, String> env = System::getenv;

    @Override
    public Integer call() {
      ConfigCheck.Kind k;
      try {
        k = ConfigCheck.Kind.valueOf(kind.strip().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--kind: expected auto, engine or royalty, was '" + kind + "'", e);
      }
      PrintWriter out = spec.commandLine().getOut();
      ConfigCheck check = new ConfigCheck(env, strict);
      for (Path file : files) {
        check.check(file, k).forEach(out::println);
        out.flush();
      }
      return 0;
    }
  }
}
