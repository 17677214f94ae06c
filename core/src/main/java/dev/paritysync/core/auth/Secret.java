package dev.paritysync.core.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A secret value (a client secret, an API key) that never shows itself by accident: {@link
 * #toString()} is {@code [redacted]}, and only {@link #reveal()} gives the value. Immutable and
 * thread-safe. Equality is identity, so secrets are not compared or hashed by value by accident.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * @throws IllegalArgumentException when {@code value} is empty
   */
  public static Secret of(String value) {
    Objects.requireNonNull(value, "secret value");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("a secret must not be empty");
    }
    return new Secret(value);
  }

  /**
   * The value of environment variable {@code name}.
   *
   * @throws IllegalArgumentException naming the variable when it is unset or blank
   */
  public static Secret fromEnv(String name) {
    String value = System.getenv(Objects.requireNonNull(name, "name"));
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "environment variable " + name + " is " + (value == null ? "not set" : "blank"));
    }
    return new Secret(value);
  }

  /**
   * The content of {@code file} as UTF-8, without trailing whitespace (the newline editors add).
   *
   * @throws IllegalArgumentException naming the file when it cannot be read or is blank
   */
  public static Secret fromFile(Path file) {
    Objects.requireNonNull(file, "file");
    String value;
    try {
      value = Files.readString(file, StandardCharsets.UTF_8).stripTrailing();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read secret file " + file + ": " + e.getClass().getSimpleName(), e);
    }
    if (value.isBlank()) {
      throw new IllegalArgumentException("secret file " + file + " is empty");
    }
    return new Secret(value);
  }

  /** The secret value. Do not log it. */
  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "[redacted]";
  }
}
