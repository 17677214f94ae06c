package dev.paritysync.app;

import dev.paritysync.core.auth.Secret;
import dev.paritysync.hotel.channel.SecretResolver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The secrets of {@code config check}: a reference that can be resolved here is resolved (so its
 * value is checked as {@code run} checks it); one that cannot is, unless strict, a note and a
 * placeholder that every secret check accepts (it is also a valid Standard Webhooks key). Records
 * each reference under its configuration key so the check can say where a secret comes from. Never
 * prints a value. Not thread-safe.
 */
final class CheckSecrets implements SecretResolver {
  /** What an unresolved reference reads as: {@code whsec_} and base64, as webhook keys must be. */
  static final String PLACEHOLDER =
      "whsec_"
          + Base64.getEncoder()
              .encodeToString(
                  "paritysync config check placeholder".getBytes(StandardCharsets.UTF_8));

  private final Function<String, String> env;
  private final boolean strict;
  private final List<String> notes;
  private final Map<String, String> references = new LinkedHashMap<>();

  CheckSecrets(Function<String, String> env, boolean strict, List<String> notes) {
    this.env = env;
    this.strict = strict;
    this.notes = notes;
  }

  @Override
  public Secret resolve(String key, Object reference) {
    if (reference instanceof String s) {
      references.put(key, s.strip().replaceAll("^\\$\\{(.*)}$", "$1"));
    }
    return SecretResolver.super.resolve(key, reference);
  }

  @Override
  public Secret env(String name) {
    String value = env.apply(name);
    if (value != null && !value.isBlank()) {
      return Secret.of(value);
    }
    return unresolved(
        "environment variable " + name + " is " + (value == null ? "not set" : "blank"),
        "env:" + name);
  }

  @Override
  public Secret file(Path file) {
    try {
      return Secret.fromFile(file);
    } catch (IllegalArgumentException e) {
      return unresolved(Objects.requireNonNullElse(e.getMessage(), e.toString()), "file:" + file);
    }
  }

  private Secret unresolved(String problem, String reference) {
    if (strict) {
      throw new IllegalArgumentException(problem);
    }
    String note =
        "secret " + reference + " cannot be resolved here (" + problem + "); run and serve need it";
    if (!notes.contains(note)) {
      notes.add(note);
    }
    return Secret.of(PLACEHOLDER);
  }

  /**
   * The references found under {@code prefix} (a key path), as {@code env:NAME} or {@code file:/p}.
   */
  List<String> referencesUnder(String prefix) {
    List<String> out = new ArrayList<>();
    references.forEach(
        (key, ref) -> {
          if (key.startsWith(prefix)) {
            out.add(ref);
          }
        });
    return out;
  }
}
