package dev.paritysync.hotel.channel;

import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.config.SecretLookup;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Turns the secret references of a channel configuration ({@code ${env:NAME}}, {@code
 * ${file:/path}}) into {@link Secret}s. Implementations are thread-safe.
 */
public interface SecretResolver extends SecretLookup {

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
   * Resolves a reference as configuration writes one, {@code ${env:NAME}} or {@code
   * ${file:/absolute/path}}, found under configuration key {@code key}.
   *
   * @throws IllegalArgumentException starting with {@code key} when {@code reference} is not a
   *     reference (an inline secret; the message never quotes it) or cannot be resolved
   */
  @Override
  default Secret resolve(String key, Object reference) {
    String ref = reference instanceof String s ? s.strip() : null;
    Matcher env = ref == null ? null : SecretReferences.ENV.matcher(ref);
    Matcher file = ref == null ? null : SecretReferences.FILE.matcher(ref);
    try {
      if (env != null && env.matches()) {
        return env(env.group(1));
      }
      if (file != null && file.matches()) {
        return file(Path.of(file.group(1)));
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(
        key
            + ": must be a reference ${env:NAME} or ${file:/absolute/path}; inline secrets are not"
            + " allowed");
  }

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
   * Resolves every reference, environment or file, to {@code value}; for tests and benchmarks whose
   * configuration names a secret only because the format requires one.
   */
  static SecretResolver constant(Secret value) {
    return new SecretResolver() {
      @Override
      public Secret env(String name) {
        return value;
      }

      @Override
      public Secret file(Path file) {
        return value;
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
