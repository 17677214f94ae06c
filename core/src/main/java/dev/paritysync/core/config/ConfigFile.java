package dev.paritysync.core.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Reads configuration files (YAML, or JSON, which is YAML too) for every module, and puts the
 * file's name before the key path of every error: {@code paritysync.yaml:
 * channels.expedia.resilience.backoff.base: must be positive, was 0s}. Static; thread-safe.
 */
public final class ConfigFile {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ConfigFile() {}

  /**
   * The top-level mapping of {@code file}, as parsed.
   *
   * @throws IllegalArgumentException {@code <file>: not valid YAML: ...}, {@code <file>: cannot be
   *     read: ...}, or {@code <file>: expected a mapping at the top level}
   */
  @SuppressWarnings("unchecked")
  public static Map<String, @Nullable Object> read(Path file) {
    Object raw;
    try {
      raw = YAML.readValue(file.toFile(), Object.class);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          file + ": not valid YAML: " + e.getOriginalMessage().replace('\n', ' '), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage(), e);
    }
    if (!(raw instanceof Map)) {
      throw new IllegalArgumentException(file + ": expected a mapping at the top level");
    }
    return (Map<String, @Nullable Object>) raw;
  }

  /**
   * Reads {@code file} and gives its top-level mapping to {@code reader}.
   *
   * @throws IllegalArgumentException as {@link #read}, or the reader's error with {@code <file>: }
   *     before it
   */
  public static <T> T load(Path file, Function<ConfigMap, T> reader) {
    Map<String, @Nullable Object> top = read(file);
    return within(file, () -> reader.apply(new ConfigMap("", top)));
  }

  /**
   * Runs {@code read}, putting {@code file} before the message of the {@link
   * IllegalArgumentException} it throws (the cause keeps the original).
   */
  public static <T> T within(Object file, Supplier<T> read) {
    try {
      return read.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }
}
