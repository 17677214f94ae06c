package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The build tells NullAway that picocli sets the fields of {@code @Option} and {@code @Parameters}
 * (pom.xml, {@code ExcludedFieldAnnotations}): that holds for required ones and ones with a
 * default, not for an optional one the command line leaves out. So every optional option or
 * parameter without a default or initial value must be {@code @Nullable}, and NullAway then checks
 * every read of it. This test walks the whole command tree and names each one that is not.
 */
class OptionNullnessTest {

  @Test
  void everyOptionalOptionWithoutADefaultIsNullable() {
    assertThat(unmarked(Main.commandLine())).isEmpty();
  }

  @Test
  void theCheckFindsAnUnmarkedOptionalOption() {
    assertThat(unmarked(new CommandLine(new Violating())))
        .containsExactly("Violating.file (--file)", "Violating.rest (NAME)");
  }

  /** Optional options and parameters of {@code cl} and its subcommands that may stay null. */
  static List<String> unmarked(CommandLine cl) {
    List<String> found = new ArrayList<>();
    collect(cl, found);
    return found;
  }

  private static void collect(CommandLine cl, List<String> found) {
    for (ArgSpec a : cl.getCommandSpec().args()) {
      if (!(a.userObject() instanceof Field f)
          || f.getType().isPrimitive()
          || !f.getDeclaringClass().getName().startsWith("dev.paritysync.app")) {
        continue; // picocli's own (help, version) or not a field
      }
      boolean alwaysSet = a.required() || a.defaultValue() != null || a.initialValue() != null;
      if (!alwaysSet && !f.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
        found.add(f.getDeclaringClass().getSimpleName() + "." + f.getName() + " (" + name(a) + ")");
      }
    }
    cl.getSubcommands().values().forEach(sub -> collect(sub, found));
  }

  private static String name(ArgSpec a) {
    return a.isOption()
        ? ((CommandLine.Model.OptionSpec) a).longestName()
        : ((CommandLine.Model.PositionalParamSpec) a).paramLabel();
  }

  /** One of each: marked, required, defaulted, initialised, and two unmarked. */
  @Command(name = "violating")
  static final class Violating {
    @Option(names = "--file")
    Path file;

    @Option(names = "--db")
    @Nullable Path db;

    @Option(names = "--config", required = true)
    Path config;

    @Option(names = "--lake", defaultValue = "lake")
    Path lake;

    @Option(names = "--tag")
    List<String> tags = new ArrayList<>();

    @Option(names = "--count")
    int count;

    @Parameters(paramLabel = "NAME", arity = "0..1")
    String rest;
  }
}
