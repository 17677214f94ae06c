package dev.paritysync.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins the other half of the registry's promise: outside a dialect's own files ({@code
 * <Prefix>*.java}, such as {@code ChannexDialect} and {@code ChannexCodec}) and its line in {@link
 * Dialects}, no main source of the simulator names a dialect, by its name as a string or by one of
 * its classes. Comments may mention them.
 */
class DialectSourcesTest {
  private static final Path MAIN = Path.of("src/main/java/dev/paritysync/sim");
  private static final Pattern COMMENTS = Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*");

  @Test
  void noMainSourceButADialectsOwnNamesIt() throws IOException {
    List<String> offenders = new ArrayList<>();
    for (Dialect d : Dialects.BUILT_IN.dialects()) {
      String prefix = d.getClass().getSimpleName().replaceFirst("Dialect$", "");
      Pattern named =
          Pattern.compile(
              "\"" + Pattern.quote(d.name()) + "\"|\\b" + Pattern.quote(prefix) + "[A-Z]\\w*");
      try (Stream<Path> files = Files.list(MAIN)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          String file = f.getFileName().toString();
          if (file.startsWith(prefix) || file.equals("Dialects.java")) {
            continue;
          }
          var m = named.matcher(code(f));
          while (m.find()) {
            offenders.add(file + " names " + d.name() + ": " + m.group());
          }
        }
      }
    }
    assertThat(offenders).as("dialects named outside their own files").isEmpty();
  }

  @Test
  void theScanSeesTheSourcesAndWouldSeeANameInCode() throws IOException {
    assertThat(Files.isRegularFile(MAIN.resolve("SimChannel.java"))).isTrue();
    assertThat(code(MAIN.resolve("Dialects.java"))).contains("ChannexDialect.INSTANCE");
    assertThat(COMMENTS.matcher("/** channex */ x = \"ota\"; // cloudbeds").replaceAll(""))
        .isEqualTo(" x = \"ota\"; ");
  }

  private static String code(Path file) throws IOException {
    return COMMENTS.matcher(Files.readString(file)).replaceAll("");
  }
}
