package dev.paritysync.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module and package rules of {@code docs/architecture.md} (and the shared ARCHITECTURE.md),
 * checked on the compiled main classes of every module {@code app} sees: core, store, sim, hotel,
 * royalty and app.
 */
class ArchitectureTest {
  private static final String ROOT = "dev.paritysync";
  private static final Path DOC = Path.of("..", "docs", "architecture.md");
  private static final Pattern PACKAGE_ROW =
      Pattern.compile("^\\| `([a-z.]+)` \\|", Pattern.MULTILINE);

  static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
  }

  @Test
  void modulesDependOneWay() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("core")
        .definedBy(ROOT + ".core..")
        .layer("store")
        .definedBy(ROOT + ".store..")
        .layer("sim")
        .definedBy(ROOT + ".sim..")
        .layer("hotel")
        .definedBy(ROOT + ".hotel..")
        .layer("royalty")
        .definedBy(ROOT + ".royalty..")
        .layer("app")
        .definedBy(ROOT + ".app..")
        .whereLayer("app")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("hotel")
        .mayOnlyBeAccessedByLayers("app")
        .whereLayer("royalty")
        .mayOnlyBeAccessedByLayers("app")
        .whereLayer("sim")
        .mayOnlyBeAccessedByLayers("app")
        .whereLayer("store")
        .mayOnlyBeAccessedByLayers("hotel", "royalty", "app")
        .check(classes);
  }

  /**
   * A call that reads real time or waits in real time: the system clock's methods, any {@code
   * now(…)} of java.time except {@code now(Clock)} (an injected clock's view), {@code new Date()},
   * {@code Thread.sleep}.
   */
  private static final DescribedPredicate<JavaMethodCall> READS_REAL_TIME =
      DescribedPredicate.describe(
          "reads or waits on the system clock",
          call -> {
            String owner = call.getTargetOwner().getName();
            String name = call.getName();
            List<String> params =
                call.getTarget().getRawParameterTypes().stream().map(JavaClass::getName).toList();
            return switch (owner) {
              case "java.lang.System" ->
                  name.equals("currentTimeMillis") || name.equals("nanoTime");
              case "java.lang.Thread" -> name.equals("sleep");
              case "java.time.Clock" -> name.startsWith("system");
              case "java.time.Instant",
                  "java.time.LocalDate",
                  "java.time.LocalDateTime",
                  "java.time.LocalTime",
                  "java.time.ZonedDateTime",
                  "java.time.OffsetDateTime",
                  "java.time.OffsetTime",
                  "java.time.Year",
                  "java.time.YearMonth" ->
                  name.equals("now") && !params.contains("java.time.Clock");
              default -> false;
            };
          });

  @Test
  void onlySystemClockReadsRealTime() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(ROOT + ".core.time.SystemClock")
        .should()
        .callMethodWhere(READS_REAL_TIME)
        .orShould()
        .callConstructor(java.util.Date.class)
        .because("time is injected: everything reads a core.time.Clock (docs/architecture.md)")
        .check(classes);
  }

  @Test
  void thePackageTableOfTheArchitectureDocListsEveryPackageAndNoOther() throws IOException {
    Set<String> documented = new TreeSet<>();
    Matcher row = PACKAGE_ROW.matcher(Files.readString(DOC));
    while (row.find()) {
      documented.add(ROOT + "." + row.group(1));
    }
    Set<String> real =
        classes.stream()
            .map(JavaClass::getPackageName)
            .filter(p -> p.startsWith(ROOT + "."))
            .collect(Collectors.toCollection(TreeSet::new));

    assertThat(documented)
        .as("packages in %s's table (left) against the packages with main classes", DOC)
        .containsExactlyInAnyOrderElementsOf(real);
  }
}
