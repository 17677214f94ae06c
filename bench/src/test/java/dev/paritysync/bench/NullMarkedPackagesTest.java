package dev.paritysync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every package of bench's main code is {@code @NullMarked} in its {@code package-info.java}.
 * NullAway runs with {@code OnlyNullMarked}, so a package without the annotation silently leaves
 * the check. app's {@code ArchitectureTest} checks the product's packages from their classes; it
 * does not see bench's, so this test reads bench's sources instead.
 */
class NullMarkedPackagesTest {
  private static final Path MAIN = Path.of("src", "main", "java");

  /** Comments, so that {@code @NullMarked} in javadoc does not count. */
  private static final Pattern COMMENTS = Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*");

  /** The annotation on the package declaration, simple or qualified, with any others between. */
  private static final Pattern NULL_MARKED =
      Pattern.compile(
          "@(org\\.jspecify\\.annotations\\.)?NullMarked\\b(\\s*@[\\w.]+(\\([^)]*\\))?)*\\s*package\\s");

  @Test
  void everyMainPackageIsNullMarked() {
    assertThat(Files.isDirectory(MAIN))
        .as("%s from %s", MAIN, Path.of("").toAbsolutePath())
        .isTrue();

    assertThat(unmarkedPackages(MAIN))
        .as("packages of bench whose package-info.java lacks @NullMarked")
        .isEmpty();
  }

  @Test
  void theCheckNamesAPackageWithoutTheAnnotation(@TempDir Path root) throws IOException {
    write(
        root,
        "a/marked",
        "/** Holds A. */\n@NullMarked\npackage a.marked;\n\n"
            + "import org.jspecify.annotations.NullMarked;\n");
    write(
        root,
        "a/qualified",
        "/** Holds B. */\n@org.jspecify.annotations.NullMarked\npackage a.qualified;\n");
    write(root, "a/unmarked", "/** Holds C. */\npackage a.unmarked;\n");
    write(
        root,
        "a/onlyinjavadoc",
        "/** Holds D, not yet {@code @NullMarked}. */\npackage a.onlyinjavadoc;\n");
    write(root, "a/commentedout", "/** Holds E. */\n// @NullMarked\npackage a.commentedout;\n");
    Path noInfo = Files.createDirectories(root.resolve("a/noinfo"));
    Files.writeString(noInfo.resolve("Thing.java"), "package a.noinfo;\nclass Thing {}\n");

    assertThat(unmarkedPackages(root))
        .containsExactly("a.commentedout", "a.noinfo", "a.onlyinjavadoc", "a.unmarked");
  }

  /** The packages under {@code root} (a source root) that hold Java files and are not marked. */
  static Set<String> unmarkedPackages(Path root) {
    Set<String> unmarked = new TreeSet<>();
    try (Stream<Path> dirs = Files.walk(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        if (holdsJava(dir) && !isNullMarked(dir.resolve("package-info.java"))) {
          unmarked.add(
              root.relativize(dir).toString().replace(dir.getFileSystem().getSeparator(), "."));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot walk " + root, e);
    }
    return unmarked;
  }

  private static boolean holdsJava(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".java"));
    }
  }

  private static boolean isNullMarked(Path packageInfo) throws IOException {
    if (!Files.exists(packageInfo)) {
      return false;
    }
    String code = COMMENTS.matcher(Files.readString(packageInfo)).replaceAll(" ");
    return NULL_MARKED.matcher(code).find();
  }

  private static void write(Path root, String dir, String packageInfo) throws IOException {
    Path d = Files.createDirectories(root.resolve(dir));
    Files.writeString(d.resolve("package-info.java"), packageInfo);
  }
}
