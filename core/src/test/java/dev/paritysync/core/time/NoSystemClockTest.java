package dev.paritysync.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins the rule that production code reads time only through an injected {@link Clock}: no module's
 * main sources call the system clock or sleep, except {@code SystemClock}, the one place that reads
 * real time.
 */
class NoSystemClockTest {
  private static final Pattern FORBIDDEN =
      Pattern.compile(
          "Instant\\.now\\(|System\\.nanoTime\\(|System\\.currentTimeMillis\\("
              + "|(LocalDate|LocalDateTime|ZonedDateTime|OffsetDateTime|LocalTime)\\.now\\("
              + "|Clock\\.systemUTC\\(|Clock\\.systemDefaultZone\\(|Thread\\.sleep\\(");

  @Test
  void productionCodeNeverReadsTheSystemClockDirectly() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path main :
          modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
        try (Stream<Path> files = Files.walk(main)) {
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> !f.getFileName().toString().equals("SystemClock.java"))
              .forEach(f -> scan(root, f, offenders));
        }
      }
    }
    assertThat(offenders).as("direct reads of the system clock, or sleeps").isEmpty();
  }

  @Test
  void theScanSeesTheModules() {
    assertThat(Files.isDirectory(Path.of("..", "core", "src", "main", "java"))).isTrue();
    assertThat(FORBIDDEN.matcher("long t = System.nanoTime();").find()).isTrue();
  }

  private static void scan(Path root, Path file, List<String> offenders) {
    try {
      List<String> lines = Files.readAllLines(file);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).trim();
        if (line.startsWith("*") || line.startsWith("//") || line.startsWith("/*")) {
          continue;
        }
        if (FORBIDDEN.matcher(line).find()) {
          offenders.add(root.relativize(file) + ":" + (i + 1) + ": " + line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
