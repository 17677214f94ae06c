package dev.paritysync.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMembers;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.paritysync.core.archviolation.ReadsTheSystemClock;
import dev.paritysync.core.archviolation.RoyaltyStatements;
import dev.paritysync.core.archviolation.SpeaksOfProperties;
import dev.paritysync.core.archviolation.UsesHotel;
import dev.paritysync.hotel.ari.RoomType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module and package rules of {@code docs/architecture.md} (and the shared ARCHITECTURE.md),
 * checked on the compiled main classes of every module {@code app} sees: core, store, sim, hotel,
 * royalty and app. Each rule is also shown to fail, on the deliberately violating classes of {@code
 * dev.paritysync.core.archviolation} (test code).
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

  /** The module table: dependencies point one way (core ← store ← hotel, royalty ← app). */
  static final ArchRule MODULES_DEPEND_ONE_WAY =
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
          .mayOnlyBeAccessedByLayers("hotel", "royalty", "app");

  /** Nothing in core knows hotels or royalties: it speaks of channels, scopes and keys. */
  static final ArchRule CORE_NAMES_NEITHER_HOTEL_NOR_ROYALTY =
      noClasses()
          .that()
          .resideInAPackage(ROOT + ".core..")
          .should()
          .haveNameMatching(".*\\.[^.]*(?i:hotel|royalt)[^.]*")
          .orShould()
          .dependOnClassesThat()
          .resideInAnyPackage(ROOT + ".hotel..", ROOT + ".royalty..")
          .because("core speaks of channels, scopes and keys (docs/architecture.md)");

  /**
   * Core's public API speaks of channels, scopes and keys: no public or protected field or method
   * of a core class (a record's accessors included) is named after a hotel thing (hotel, property)
   * or a royalty. Class names are {@link #CORE_NAMES_NEITHER_HOTEL_NOR_ROYALTY}'s; private and
   * package-private internals are left alone. Parameter names are not in the class files, so a
   * record component is caught by its accessor.
   */
  static final ArchRule CORE_PUBLIC_NAMES_SPEAK_OF_SCOPES =
      noMembers()
          .that()
          .areDeclaredInClassesThat()
          .resideInAPackage(ROOT + ".core..")
          .and(
              DescribedPredicate.describe(
                  "are public or protected",
                  m ->
                      m.getModifiers().contains(JavaModifier.PUBLIC)
                          || m.getModifiers().contains(JavaModifier.PROTECTED)))
          .should()
          .haveNameMatching("(?i).*(hotel|propert|royalt).*")
          .because(
              "core speaks of channels, scopes and keys; hotel's words and defaults live in hotel"
                  + " (docs/architecture.md)");

  /**
   * The classes that may read real time, each with its reason. Nothing else may: everything else
   * reads an injected {@code core.time.Clock} and waits on an injected {@code Scheduler}. ({@code
   * core.time.SystemScheduler} needs no place here: it waits through a {@code
   * ScheduledExecutorService} and reads time only through {@code SystemClock}.)
   */
  static final Map<String, String> MAY_READ_REAL_TIME =
      Map.of(
          ROOT + ".core.time.SystemClock",
          "the one Clock over the JVM's clocks: System.nanoTime for elapsed time, the system UTC"
              + " clock for instants");

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

  /**
   * No production code reads the system clock, except the classes of {@link #MAY_READ_REAL_TIME}.
   */
  static final ArchRule ONLY_THE_SYSTEM_CLOCK_READS_REAL_TIME =
      noClasses()
          .that(
              DescribedPredicate.describe(
                  "are not listed as allowed to read real time",
                  (JavaClass c) -> !MAY_READ_REAL_TIME.containsKey(c.getName())))
          .should()
          .callMethodWhere(READS_REAL_TIME)
          .orShould()
          .callConstructor(java.util.Date.class)
          .because("time is injected: everything reads a core.time.Clock (docs/architecture.md)");

  /**
   * Every package is {@code @NullMarked} (JSpecify) in its {@code package-info.java}: types are
   * non-null unless marked {@code @Nullable}, and NullAway checks them at compile time. NullAway
   * runs with {@code OnlyNullMarked}, so a package without the annotation silently leaves the
   * check.
   */
  static final ArchRule EVERY_PACKAGE_IS_NULL_MARKED =
      classes()
          .that()
          .resideInAPackage(ROOT + "..")
          .should(
              ArchCondition.from(
                  DescribedPredicate.describe(
                      "reside in a package whose package-info is annotated @NullMarked",
                      (JavaClass c) -> c.getPackage().isAnnotatedWith(NullMarked.class))))
          .because("nullness is checked at compile time in every package (docs/architecture.md)");

  @Test
  void modulesDependOneWay() {
    MODULES_DEPEND_ONE_WAY.check(classes);
  }

  @Test
  void coreNamesNeitherHotelNorRoyalty() {
    CORE_NAMES_NEITHER_HOTEL_NOR_ROYALTY.check(classes);
  }

  @Test
  void corePublicNamesSpeakOfScopes() {
    CORE_PUBLIC_NAMES_SPEAK_OF_SCOPES.check(classes);
  }

  @Test
  void onlySystemClockReadsRealTime() {
    ONLY_THE_SYSTEM_CLOCK_READS_REAL_TIME.check(classes);
  }

  @Test
  void theModuleRuleFailsOnACoreClassThatUsesHotel() {
    EvaluationResult result =
        MODULES_DEPEND_ONE_WAY.evaluate(violations(UsesHotel.class, RoomType.class));

    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().getDetails())
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains(UsesHotel.class.getName())
                    .contains("dev.paritysync.hotel.ari.RoomType"));
  }

  @Test
  void theNamingRuleFailsOnACoreClassThatNamesOrUsesHotelOrRoyalty() {
    EvaluationResult result =
        CORE_NAMES_NEITHER_HOTEL_NOR_ROYALTY.evaluate(
            violations(UsesHotel.class, RoomType.class, RoyaltyStatements.class));

    assertThat(result.getFailureReport().getDetails())
        .anySatisfy(line -> assertThat(line).contains(RoyaltyStatements.class.getName()))
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains(UsesHotel.class.getName())
                    .contains("dev.paritysync.hotel.ari.RoomType"));
  }

  @Test
  void thePublicNamesRuleFailsOnEveryPublicHotelWordAndLeavesInternalsAlone() {
    EvaluationResult result =
        CORE_PUBLIC_NAMES_SPEAK_OF_SCOPES.evaluate(violations(SpeaksOfProperties.class));

    List<String> details = result.getFailureReport().getDetails();
    String type = SpeaksOfProperties.class.getName();
    for (String member :
        List.of(
            type + ".property()",
            type + ".PROPERTY_KEY",
            type + ".hotelDefault()",
            type + ".royaltyLine()")) {
      assertThat(details).as(member).anySatisfy(line -> assertThat(line).contains(member));
    }
    assertThat(details)
        .noneSatisfy(line -> assertThat(line).contains("INTERNAL_PROPERTY"))
        .noneSatisfy(line -> assertThat(line).contains("propertyInternals"))
        .hasSize(4);
  }

  @Test
  void theClockRuleFailsOnEveryReadOfRealTimeAndAllowsAnInjectedClock() {
    EvaluationResult result =
        ONLY_THE_SYSTEM_CLOCK_READS_REAL_TIME.evaluate(violations(ReadsTheSystemClock.class));

    List<String> details = result.getFailureReport().getDetails();
    for (String call :
        List.of(
            "System.currentTimeMillis()",
            "System.nanoTime()",
            "Instant.now()",
            "LocalDate.now()",
            "ZonedDateTime.now()",
            "Clock.systemUTC()",
            "Date.<init>()",
            "Thread.sleep(long)")) {
      assertThat(details).as(call).anySatisfy(line -> assertThat(line).contains(call));
    }
    assertThat(details).noneSatisfy(line -> assertThat(line).contains("Instant.now(java.time"));
    assertThat(details).hasSize(8);
  }

  @Test
  void everyPackageIsNullMarked() {
    EVERY_PACKAGE_IS_NULL_MARKED.check(classes);
  }

  @Test
  void theNullMarkedRuleFailsOnAPackageWithoutIt() {
    // the fixtures' package-info carries no annotation, so javac writes no package-info class
    EvaluationResult result = EVERY_PACKAGE_IS_NULL_MARKED.evaluate(violations(UsesHotel.class));

    assertThat(result.getFailureReport().getDetails())
        .singleElement()
        .satisfies(line -> assertThat(line).contains(UsesHotel.class.getName()));
  }

  /**
   * Every package of main code, in every module ({@code bench} included), has a {@code
   * package-info.java} whose javadoc says what the package holds.
   */
  @Test
  void everyMainPackageHasAPackageInfoSayingWhatItHolds() throws IOException {
    Set<Path> missing = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Path.of(".."), 5)) {
      List<Path> roots = files.filter(p -> p.endsWith(Path.of("src", "main", "java"))).toList();
      for (Path root : roots) {
        try (Stream<Path> sources = Files.walk(root)) {
          for (Path dir :
              sources
                  .filter(p -> p.toString().endsWith(".java"))
                  .map(Path::getParent)
                  .collect(Collectors.toCollection(TreeSet::new))) {
            Path info = dir.resolve("package-info.java");
            if (!Files.exists(info) || !Files.readString(info).startsWith("/**")) {
              missing.add(root.relativize(dir));
            }
          }
        }
      }
    }

    assertThat(missing)
        .as("packages without a package-info.java that opens with javadoc")
        .isEmpty();
  }

  private static JavaClasses violations(Class<?>... fixtures) {
    return new ClassFileImporter().importClasses(fixtures);
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
