package dev.paritysync.app.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in the string values of a parsed YAML
 * document with environment variables, before the document is read as configuration. Substitution
 * works on parsed values, so a variable's value is never parsed as YAML. {@code $${} writes a
 * literal {@code ${}. Secret references ({@code ${env:NAME}}, {@code ${file:/path}}) are left for
 * the secret resolver: their values must never be copied into the configuration. Stateless.
 */
final class EnvSubstitution {
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private EnvSubstitution() {}

  /**
   * A copy of {@code document} with variables replaced from {@code env} (name → value or null).
   *
   * @throws IllegalArgumentException naming the key path and the variable when a variable without a
   *     default is not set
   */
  static Map<String, Object> apply(Map<String, Object> document, Function<String, String> env) {
    return map("", document, env);
  }

  private static Map<String, Object> map(String path, Map<?, ?> m, Function<String, String> env) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach(
        (k, v) -> {
          String key = String.valueOf(k);
          out.put(key, value(path.isEmpty() ? key : path + "." + key, v, env));
        });
    return out;
  }

  private static Object value(String path, Object v, Function<String, String> env) {
    if (v instanceof Map<?, ?> m) {
      return map(path, m, env);
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        out.add(value(path + "[" + i + "]", list.get(i), env));
      }
      return out;
    }
    if (v instanceof String s && s.contains("${")) {
      return substitute(path, s, env);
    }
    return v;
  }

  private static String substitute(String path, String s, Function<String, String> env) {
    Matcher m = VARIABLE.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().equals("$${")) {
        replacement = "${";
      } else {
        String value = env.apply(m.group(1));
        if (value == null || (value.isEmpty() && m.group(2) != null)) {
          if (m.group(2) == null) {
            throw new IllegalArgumentException(
                path
                    + ": environment variable "
                    + m.group(1)
                    + " is not set (write ${"
                    + m.group(1)
                    + ":-default} to give a default)");
          }
          value = m.group(2);
        }
        replacement = value;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
