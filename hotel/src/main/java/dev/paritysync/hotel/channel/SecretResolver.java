package dev.paritysync.hotel.channel;

import dev.paritysync.core.auth.Secret;
import java.nio.file.Path;
import java.util.Map;

/**
 * Turns the secret references of a channel configuration ({@code ${env:NAME}}, {@code
 * ${file:/path}}) into {@link Secret}s. Implementations are thread-safe.
 */
public interface SecretResolver {

  /**
   * The value of environment variable {@code name}.
   *
   * @throws IllegalArgumentException naming the variable when it has no value
   */
  Secret env(String name);

  /**
   * The content of {@code file}.
   *
   * @throws IllegalArgumentException naming the file when it cannot be read or is empty
   */
  Secret file(Path file);

  /**
   * Reads this process's environment and files, through {@link Secret#fromEnv} and {@link
   * Secret#fromFile} (trailing whitespace of a file is dropped).
   */
  static SecretResolver system() {
    return new SecretResolver() {
      @Override
      public Secret env(String name) {
        return Secret.fromEnv(name);
      }

      @Override
      public Secret file(Path file) {
        return Secret.fromFile(file);
      }

      @Override
      public String toString() {
        return "SecretResolver.system()";
      }
    };
  }

  /**
   * Looks secrets up in {@code values}, keyed by {@code env:NAME} or {@code file:/path}; for tests
   * and for secrets fetched elsewhere. The map is copied.
   */
  static SecretResolver fromMap(Map<String, String> values) {
    Map<String, String> copy = Map.copyOf(values);
    return new SecretResolver() {
      @Override
      public Secret env(String name) {
        return lookup("env:" + name, "environment variable " + name + " is not set");
      }

      @Override
      public Secret file(Path file) {
        return lookup("file:" + file, "cannot read secret file " + file);
      }

      private Secret lookup(String key, String missing) {
        String value = copy.get(key);
        if (value == null) {
          throw new IllegalArgumentException(missing);
        }
        return Secret.of(value);
      }

      @Override
      public String toString() {
        return "SecretResolver.fromMap(" + copy.size() + " secrets)";
      }
    };
  }
}
