package dev.paritysync.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.auth.Secret;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The typed getters of {@link ConfigMap} and {@link ConfigFile}: values, and errors by key path.
 */
class ConfigReaderTest {
  private static ConfigMap map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return new ConfigMap("channels.x", m);
  }

  @Test
  void positiveDurationNamesTheKeyAndTheValueAsWritten() {
    assertThat(map("base", "250ms").positiveDuration("base", Duration.ofSeconds(1)))
        .isEqualTo(Duration.ofMillis(250));
    assertThat(map().positiveDuration("base", Duration.ofSeconds(1)))
        .isEqualTo(Duration.ofSeconds(1));
    assertThatThrownBy(() -> map("base", "0s").positiveDuration("base", Duration.ofSeconds(1)))
        .hasMessage("channels.x.base: must be positive, was 0s");
    assertThatThrownBy(() -> map().positiveDuration("base", Duration.ZERO))
        .hasMessage("channels.x.base: must be positive, was PT0S");
    assertThat(map("d", "0s").nonNegativeDuration("d", Duration.ofSeconds(1))).isZero();
    assertThatThrownBy(() -> map("d", "PT-1S").nonNegativeDuration("d", Duration.ZERO))
        .hasMessage("channels.x.d: must not be negative, was PT-1S");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "65536, 65536",
    "64KiB, 65536",
    "64KB, 64000",
    "1.5MiB, 1572864",
    "10MB, 10000000",
    "1GiB, 1073741824",
    "2gb, 2000000000",
    "7 b, 7"
  })
  void sizesInBytes(String text, long bytes) {
    assertThat(map("max", text).size("max", 1)).isEqualTo(bytes);
  }

  @Test
  void badSizesNameTheKey() {
    assertThat(map("max", 42).size("max", 1)).isEqualTo(42);
    assertThat(map().size("max", 9)).isEqualTo(9);
    for (Object bad : List.of("ten", "-1", "1.5B", List.of(1), -5)) {
      assertThatThrownBy(() -> map("max", bad).size("max", 1))
          .hasMessageStartingWith("channels.x.max: '")
          .hasMessageEndingWith("' is not a size in bytes (examples: 65536, 64KiB, 10MB, 1GiB)");
    }
  }

  @Test
  void positiveSizesRefuseZeroNamingTheKey() {
    assertThat(map("max", "1MB").positiveSize("max", 1)).isEqualTo(1_000_000);
    assertThat(map("max", 1000000).positiveSize("max", 1)).isEqualTo(1_000_000);
    assertThat(map().positiveSize("max", 9)).isEqualTo(9);
    assertThatThrownBy(() -> map("max", "0KB").positiveSize("max", 1))
        .hasMessage("channels.x.max: must be at least 1 byte, was 0KB");
    assertThatThrownBy(() -> map("max", "lots").positiveSize("max", 1))
        .hasMessageStartingWith("channels.x.max: 'lots' is not a size in bytes");
  }

  @Test
  void durationsWithAFloorNameTheKeyTheFloorAndTheValue() {
    Duration floor = Duration.ofMillis(100);
    assertThat(map("d", "100ms").durationAtLeast("d", floor, Duration.ofSeconds(5)))
        .isEqualTo(floor);
    assertThat(map().durationAtLeast("d", floor, Duration.ofSeconds(5)))
        .isEqualTo(Duration.ofSeconds(5));
    assertThatThrownBy(() -> map("d", "50ms").durationAtLeast("d", floor, Duration.ofSeconds(5)))
        .hasMessage("channels.x.d: must be at least 100ms, was 50ms");
    assertThatThrownBy(
            () -> map("d", "0s").durationAtLeast("d", Duration.ofSeconds(1), Duration.ZERO))
        .hasMessage("channels.x.d: must be positive, was 0s");
    assertThatThrownBy(
            () -> map("d", "999ms").durationAtLeast("d", Duration.ofSeconds(1), Duration.ZERO))
        .hasMessage("channels.x.d: must be at least 1s, was 999ms");
    assertThat(Durations.text(Duration.ofMinutes(90))).isEqualTo("1h30m");
  }

  @Test
  void rangesNameTheKeyTheBoundsAndTheValue() {
    assertThat(map("port", 8080).integerIn("port", 1, 0, 65535)).isEqualTo(8080);
    assertThat(map().integerIn("port", 9, 0, 65535)).isEqualTo(9);
    assertThatThrownBy(() -> map("port", 70000).integerIn("port", 1, 0, 65535))
        .hasMessage("channels.x.port: 70000 is not in 0..65535");
    assertThatThrownBy(() -> map("n", 0).integerIn("n", 1, 1, Integer.MAX_VALUE))
        .hasMessage("channels.x.n: must be at least 1, was 0");
    assertThat(map("r", "50%").decimalIn("r", 1, 0, 1)).isEqualTo(0.5);
    assertThat(map().decimalIn("r", 0.25, 0, 1)).isEqualTo(0.25);
    assertThatThrownBy(() -> map("r", 1.5).decimalIn("r", 1, 0, 1))
        .hasMessage("channels.x.r: must be between 0 and 1, was 1.5");
    assertThatThrownBy(() -> map("r", "NaN").decimalIn("r", 1, 0, 0.5))
        .hasMessage("channels.x.r: must be between 0 and 0.5, was NaN");
  }

  @Test
  void textMapsNameTheEntryThatIsNoText() {
    Map<String, Object> codes = new LinkedHashMap<>();
    codes.put("P1", "H1");
    codes.put("P2", 1002);
    assertThat(map("codes", codes).texts("codes"))
        .containsExactly(Map.entry("P1", "H1"), Map.entry("P2", "1002"));
    assertThat(map().texts("codes")).isEmpty();
    codes.put("P3", Map.of("a", "b"));
    assertThatThrownBy(() -> map("codes", codes).texts("codes"))
        .hasMessage("channels.x.codes.P3: expected a text value, found a mapping");
    codes.put("P3", null);
    assertThatThrownBy(() -> map("codes", codes).texts("codes"))
        .hasMessage("channels.x.codes.P3: expected a text value, got nothing");
    assertThatThrownBy(() -> map("codes", List.of("H1")).texts("codes"))
        .hasMessage("channels.x.codes: expected a map, got a list");
  }

  @Test
  void urlsAreAbsoluteHttpWithoutUserInfo() {
    assertThat(map("u", "https://a.example/x").url("u"))
        .isEqualTo(URI.create("https://a.example/x"));
    assertThat(map().optionalUrl("u")).isNull();
    assertThat(map("u", "http://127.0.0.1:8080").optionalUrl("u"))
        .isEqualTo(URI.create("http://127.0.0.1:8080"));
    assertThatThrownBy(() -> map("u", "ftp://a").url("u"))
        .hasMessage("channels.x.u: ftp://a is not an http(s) URL");
    assertThatThrownBy(() -> map("u", "/rel").url("u"))
        .hasMessage("channels.x.u: /rel is not an http(s) URL");
    assertThatThrownBy(() -> map("u", "https://u:pw@a").url("u"))
        .hasMessage("channels.x.u: must not carry user info; put credentials under credentials");
    assertThatThrownBy(() -> map("u", "http://a b").url("u"))
        .hasMessageStartingWith("channels.x.u: 'http://a b' is not a valid URL: ");
    assertThatThrownBy(() -> map().url("u")).hasMessage("channels.x.u: is required");
  }

  enum Mode {
    POLL,
    SHARED_SECRET
  }

  @Test
  void enumsListTheAllowedValues() {
    assertThat(map("m", "shared-secret").enumValue("m", Mode.class, null))
        .isEqualTo(Mode.SHARED_SECRET);
    assertThat(map("m", "Shared_Secret").enumValue("m", Mode.class, null))
        .isEqualTo(Mode.SHARED_SECRET);
    assertThat(map().enumValue("m", Mode.class, Mode.POLL)).isEqualTo(Mode.POLL);
    assertThatThrownBy(() -> map("m", "push").enumValue("m", Mode.class, Mode.POLL))
        .hasMessage("channels.x.m: 'push' is not one of poll, shared-secret");
    assertThatThrownBy(() -> map("m", List.of("poll")).enumValue("m", Mode.class, Mode.POLL))
        .hasMessage("channels.x.m: a list is not one of poll, shared-secret");
  }

  @Test
  void secretsAreResolvedAndNeverQuoted() {
    SecretLookup lookup =
        (key, value) -> {
          if (value instanceof String s && s.startsWith("${env:")) {
            return Secret.of("resolved");
          }
          throw new IllegalArgumentException(key + ": must be a reference");
        };
    assertThat(map("s", "${env:A}").secret("s", lookup).reveal()).isEqualTo("resolved");
    assertThatThrownBy(() -> map("s", "hunter2").secret("s", lookup))
        .hasMessage("channels.x.s: must be a reference")
        .message()
        .doesNotContain("hunter2");
    assertThatThrownBy(() -> map().secret("s", lookup)).hasMessage("channels.x.s: is required");
  }

  @Test
  void integersCodesTextsAndBooleans() {
    ConfigMap m =
        map(
            "n",
            5,
            "big",
            3_000_000_000L,
            "huge",
            new BigInteger("99999999999999999999"),
            "zero",
            0,
            "s",
            "ten",
            "d",
            1.5,
            "code",
            1001,
            "t",
            "x",
            "blank",
            " ",
            "b",
            true);
    assertThat(m.positiveInt("n", 1)).isEqualTo(5);
    assertThat(m.positiveInt("absent", 7)).isEqualTo(7);
    assertThat(m.positiveLong("big", 1)).isEqualTo(3_000_000_000L);
    assertThatThrownBy(() -> m.positiveInt("big", 1))
        .hasMessage("channels.x.big: 3000000000 is too large; at most 2147483647");
    assertThatThrownBy(() -> m.positiveLong("huge", 1))
        .hasMessage("channels.x.huge: 99999999999999999999 is too large");
    assertThatThrownBy(() -> m.positiveInt("zero", 1)).hasMessage("channels.x.zero: 0 is below 1");
    assertThatThrownBy(() -> m.positiveInt("s", 1))
        .hasMessage("channels.x.s: expected an integer, got a string");
    assertThatThrownBy(() -> m.positiveLong("d", 1))
        .hasMessage("channels.x.d: expected an integer, got a decimal number");
    assertThat(m.code("code")).isEqualTo("1001");
    assertThat(m.code("t")).isEqualTo("x");
    assertThatThrownBy(() -> m.code("b"))
        .hasMessage("channels.x.b: expected a code (string or integer), got a boolean");
    assertThat(m.text("t")).isEqualTo("x");
    assertThat(m.optionalText("absent")).isNull();
    assertThatThrownBy(() -> m.text("blank")).hasMessage("channels.x.blank: must not be blank");
    assertThatThrownBy(() -> m.text("n"))
        .hasMessage("channels.x.n: expected a string, got an integer");
    assertThat(m.bool("b", false)).isTrue();
    assertThat(m.bool("absent", true)).isTrue();
    assertThatThrownBy(() -> m.bool("s", false))
        .hasMessage("channels.x.s: expected true or false, got a string");
  }

  @Test
  void keysAreDeclaredOrRejected() {
    ConfigMap m = map("a", 1, "b", 2);
    assertThatThrownBy(() -> m.allow("a"))
        .hasMessage("channels.x.b: unknown key; expected one of a");
    assertThatThrownBy(() -> map("a", 1).allow(List.of("a", "c"), Set.of("c")))
        .hasMessage("channels.x.c: is required");
    assertThat(map("a", 1).allow("a", "c").path()).isEqualTo("channels.x");
    ConfigMap read = map("a", 1, "b", 2);
    read.has("a");
    assertThatThrownBy(read::rejectUnknown)
        .hasMessage("channels.x.b: unknown key; expected one of a");
    assertThatThrownBy(() -> map("z", 1).rejectUnknown())
        .hasMessage("channels.x.z: unknown key; none is expected here");
  }

  @Test
  void nestedMapsListsAndWindows() {
    ConfigMap m =
        map(
            "chs", Map.of("a", Map.of("k", 1)),
            "bad", Map.of("a", "x"),
            "names", List.of("a", 2),
            "nested", List.of(List.of()),
            "outages", List.of(Map.of("from", "1m", "to", "2m")),
            "backwards", List.of(Map.of("from", "1m", "to", "10s")),
            "open", List.of(Map.of("from", "1m")));
    assertThat(m.children("chs")).containsOnlyKeys("a");
    assertThat(m.children("chs").get("a").path()).isEqualTo("channels.x.chs.a");
    assertThat(m.children("absent")).isEmpty();
    assertThatThrownBy(() -> m.children("bad"))
        .hasMessage("channels.x.bad.a: expected a map, got a string");
    assertThatThrownBy(() -> m.child("names"))
        .hasMessage("channels.x.names: expected a map, got a list");
    assertThatThrownBy(() -> ConfigMap.of("p", null)).hasMessage("p: expected a map, got nothing");
    assertThat(m.strings("names")).containsExactly("a", "2");
    assertThat(m.strings("absent")).isEmpty();
    assertThatThrownBy(() -> m.strings("nested"))
        .hasMessage("channels.x.nested[0]: expected a string, got a list");
    assertThatThrownBy(() -> m.list("names", String.class))
        .hasMessage("channels.x.names[1]: expected a string, got an integer");
    assertThatThrownBy(() -> m.list("chs", String.class))
        .hasMessage("channels.x.chs: expected a list, got a map");
    assertThat(m.windows("outages"))
        .containsExactly(new Window(Duration.ofMinutes(1), Duration.ofMinutes(2)));
    assertThat(m.windows("outages").get(0).contains(Duration.ofSeconds(90))).isTrue();
    assertThat(m.windows("outages").get(0).contains(Duration.ofMinutes(2))).isFalse();
    assertThatThrownBy(() -> m.windows("backwards"))
        .hasMessage("channels.x.backwards[0]: must satisfy 0 <= from < to, got [1m, 10s)");
    assertThatThrownBy(() -> m.windows("open")).hasMessage("channels.x.open[0].to: is required");
    assertThatThrownBy(() -> m.maps("names"))
        .hasMessage("channels.x.names[0]: expected a map, got a string");
    assertThatThrownBy(() -> new Window(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessage("a window must satisfy 0 <= from < to, got [PT2S, PT1S)");
  }

  @Test
  void integerKeysReadAsText() {
    Map<Object, Object> raw = Map.of(1001, "x");
    @SuppressWarnings("unchecked")
    ConfigMap m = new ConfigMap("rooms", (Map<String, Object>) (Map<?, ?>) raw);
    assertThat(m.names()).containsExactly("1001");
    assertThat(m.error("bad").getMessage()).isEqualTo("rooms: bad");
  }

  @Test
  void aFileNamesItselfBeforeTheKeyPath(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("paritysync.yaml");
    Files.writeString(file, "channels:\n  expedia:\n    resilience: {backoff: {base: 0s}}\n");
    assertThatThrownBy(
            () ->
                ConfigFile.load(
                    file,
                    root ->
                        root.children("channels")
                            .get("expedia")
                            .child("resilience")
                            .child("backoff")
                            .positiveDuration("base", Duration.ofSeconds(1))))
        .hasMessage(file + ": channels.expedia.resilience.backoff.base: must be positive, was 0s");
    Set<String> names = ConfigFile.load(file, ConfigMap::names);
    assertThat(names).containsExactly("channels");
    Files.writeString(file, "- a\n");
    assertThatThrownBy(() -> ConfigFile.read(file))
        .hasMessage(file + ": expected a mapping at the top level");
    Files.writeString(file, "a: [\n");
    assertThatThrownBy(() -> ConfigFile.read(file))
        .hasMessageStartingWith(file + ": not valid YAML: ");
    assertThatThrownBy(() -> ConfigFile.read(dir))
        .hasMessageStartingWith(dir + ": cannot be read: ");
  }

  @Test
  void longIntegersAndKindsOfValues() {
    ConfigMap m = map("seed", 5_000_000_000L, "text", "42", "bad", "x");
    assertThat(m.longInteger("seed", 0)).isEqualTo(5_000_000_000L);
    assertThat(m.longInteger("text", 0)).isEqualTo(42);
    assertThat(m.longInteger("absent", 7)).isEqualTo(7);
    assertThatThrownBy(() -> m.longInteger("bad", 0))
        .hasMessage("channels.x.bad: 'x' is not a whole number");
    assertThat(ConfigMap.describe(null)).isEqualTo("nothing");
    assertThat(ConfigMap.describe(true)).isEqualTo("a boolean");
    assertThat(ConfigMap.describe(1.5)).isEqualTo("a decimal number");
    assertThat(ConfigMap.describe(new Object())).isEqualTo("a Object");
  }
}
