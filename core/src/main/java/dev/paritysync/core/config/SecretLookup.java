package dev.paritysync.core.config;

import dev.paritysync.core.auth.Secret;

/**
 * Turns the value written at a secret's key (a reference such as {@code ${env:NAME}}) into a {@link
 * Secret}, for {@link ConfigMap#secret}. Implementations are thread-safe, and their messages start
 * with the key and never quote the value.
 */
@FunctionalInterface
public interface SecretLookup {
  /**
   * The secret {@code value} refers to, found at configuration key {@code key}.
   *
   * @throws IllegalArgumentException starting with {@code key} when {@code value} is no reference
   *     or cannot be resolved
   */
  Secret resolve(String key, Object value);
}
