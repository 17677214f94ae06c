package dev.paritysync.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive as a user gets it: unpacked with {@code tar} in a temporary directory and run
 * through {@code bin/paritysync} with a PATH that holds no Maven (only the few tools the launcher
 * uses, and java), from the unpacked directory. Runs in {@code mvn -B verify} (failsafe, after the
 * package phase built the archive).
 */
class ReleaseArchiveIT {
  private static final String VERSION = System.getProperty("paritysync.version", "unknown");
  private static final Path ARCHIVE = Path.of(System.getProperty("paritysync.archive", "missing"));

  @TempDir static Path dir;
  private static Path home;
  private static Path tools;

  @BeforeAll
  static void unpack() throws Exception {
    Path tar = Path.of(ARCHIVE + ".tar.gz");
    assertThat(tar).as("the archive mvn package builds").isRegularFile();
    Result untar = run(List.of("tar", "-xzf", tar.toString(), "-C", dir.toString()), dir, null);
    assertThat(untar.code).as(untar.output).isZero();
    home = dir.resolve("paritysync-" + VERSION);
    tools = Files.createDirectories(dir.resolve("tools"));
    // A PATH with the launcher's tools and java only: whatever else the machine has (mvn) is out.
    for (String tool : List.of("sh", "dirname", "readlink")) {
      Files.createSymbolicLink(tools.resolve(tool), which(tool));
    }
    Files.createSymbolicLink(
        tools.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
  }

  @Test
  void holdsTheLauncherTheJarExamplesDocsAndLicences() throws IOException {
    assertThat(home.resolve("bin/paritysync")).isExecutable();
    assertThat(Files.readString(home.resolve("bin/paritysync.bat"))).contains("\r\n");
    assertThat(home.resolve("lib/paritysync.jar")).isRegularFile();
    assertThat(home.resolve("docs/running.md")).isRegularFile();
    // the schemas editors point at, the same as the jar's copy
    for (String schema : List.of("paritysync.schema.json", "paritysync-royalty.schema.json")) {
      try (ZipFile jar = new ZipFile(home.resolve("lib/paritysync.jar").toFile())) {
        ZipEntry inJar = jar.getEntry("schema/" + schema);
        assertThat(inJar).as("schema/" + schema + " in the jar").isNotNull();
        assertThat(new String(jar.getInputStream(inJar).readAllBytes(), StandardCharsets.UTF_8))
            .isEqualTo(Files.readString(home.resolve("schema/" + schema)));
      }
    }
    assertThat(home.resolve("README.md")).isRegularFile();
    assertThat(Files.readString(home.resolve("LICENSE"))).contains("Apache License");
    assertThat(Files.readString(home.resolve("NOTICE")))
        .contains("paritysync")
        .contains("info.picocli:picocli:")
        .contains("org.xerial:sqlite-jdbc:")
        .doesNotContain("dev.paritysync:");
    assertThat(examples()).hasSizeGreaterThanOrEqualTo(7);
    // the zip holds what the tar.gz holds
    try (ZipFile zip = new ZipFile(Path.of(ARCHIVE + ".zip").toFile());
        Stream<Path> files = Files.walk(home)) {
      Set<String> inZip =
          zip.stream()
              .filter(e -> !e.isDirectory())
              .map(e -> e.getName())
              .collect(Collectors.toCollection(TreeSet::new));
      Set<String> inTar =
          files
              .filter(Files::isRegularFile)
              .map(p -> "paritysync-" + VERSION + "/" + home.relativize(p).toString())
              .collect(Collectors.toCollection(TreeSet::new));
      assertThat(inZip).isEqualTo(inTar);
    }
  }

  @Test
  void printsItsVersionAndCommitWithoutMaven() throws Exception {
    assertThat(onPath("mvn")).as("mvn on the test's PATH").isFalse();
    Result r = paritysync("--version");
    assertThat(r.code).as(r.output).isZero();
    assertThat(r.output).startsWith("paritysync " + VERSION + " (commit ");
  }

  @Test
  void checksEveryExample() throws Exception {
    List<String> command = new ArrayList<>(List.of("config", "check"));
    examples().forEach(e -> command.add(home.relativize(e).toString()));
    Result r = paritysync(command.toArray(String[]::new));
    assertThat(r.code).as(r.output).isZero();
    for (String file : command.subList(2, command.size())) {
      String described =
          r.output.substring(
              r.output.indexOf("config " + file + ": "),
              r.output.indexOf("ok: " + file + " is valid"));
      assertThat(described).as(file).containsPattern("(?m)^(channel|source) \\S+: ");
    }
    // A check opens nothing: the examples' SQLite default (data/paritysync.db) was not created.
    assertThat(home.resolve("data")).doesNotExist();
  }

  @Test
  void aBadExampleFailsWithExitTwoNamingTheKey() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        Files.readString(home.resolve("examples/minimal.yaml"))
            .replace("adapter: native", "adapter: natve"));
    Result r = paritysync("config", "check", bad.toString());
    assertThat(r.code).as(r.output).isEqualTo(2);
    assertThat(r.output)
        .contains("paritysync: " + bad + ": channels.booking.adapter: unknown adapter 'natve'");
  }

  @Test
  void printsTheCompletionScriptItShips() throws Exception {
    Result r = paritysync("completion");
    assertThat(r.code).as(r.output).isZero();
    assertThat(r.output)
        .contains("complete -F _complete_paritysync -o default paritysync")
        .contains("bashcompinit")
        .contains("config")
        .isEqualTo(Files.readString(home.resolve("completion/paritysync.bash")));
  }

  @Test
  void runsTheQuickDemoToParity() throws Exception {
    Result r = paritysync("demo", "--quick");
    assertThat(r.code).as(r.output).isZero();
    assertThat(r.output)
        .contains("5 properties × 8 room types × 3 rate plans × 60 days")
        .contains("at parity: every cell not in a queue holds the truth on every channel")
        .contains("the drift found is exactly the drift made");
  }

  // ------------------------------------------------------------------ helpers

  private static List<Path> examples() throws IOException {
    try (Stream<Path> files = Files.walk(home.resolve("examples"))) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  private static Result paritysync(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/paritysync").toString());
    command.addAll(Arrays.asList(args));
    Map<String, String> env =
        Map.of("PATH", tools.toString(), "HOME", dir.toString(), "LANG", "C.UTF-8");
    return run(command, home, env);
  }

  private static boolean onPath(String tool) {
    return Arrays.stream(tools.toString().split(File.pathSeparator))
        .anyMatch(d -> Files.exists(Path.of(d, tool)));
  }

  private static Path which(String tool) {
    return Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
        .map(d -> Path.of(d, tool))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(tool + " is not on the PATH"));
  }

  private record Result(int code, String output) {}

  /** Runs {@code command} in {@code cwd}, stdout and stderr together; only {@code env} when set. */
  private static Result run(List<String> command, Path cwd, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
    if (env != null) {
      pb.environment().clear();
      pb.environment().putAll(env);
    }
    Path log = Files.createTempFile("paritysync-it", ".log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    try {
      if (!p.waitFor(3, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError(command + " ran longer than 3 minutes:\n" + Files.readString(log));
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
