package dev.paritysync.royalty.validate;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Territories: ISO 3166-1 alpha-2 codes (as {@link Locale#getISOCountries()} knows them), plus
 * {@code XK} (Kosovo, user-assigned but used by every DSP) and {@code Worldwide}, with per-source
 * aliases such as {@code WW → Worldwide} or {@code UK → GB}. Immutable and thread-safe.
 */
public final class Territories {
  /** The territory a row has when it covers the whole world. */
  public static final String WORLDWIDE = "Worldwide";

  private static final Set<String> CODES;

  static {
    var codes = new java.util.HashSet<>(Set.of(Locale.getISOCountries()));
    codes.add("XK");
    CODES = Set.copyOf(codes);
  }

  private final Map<String, String> aliases;

  private Territories(Map<String, String> aliases) {
    this.aliases = aliases;
  }

  /**
   * Territories with {@code aliases} (alias → territory, alias compared ignoring case).
   *
   * @throws IllegalArgumentException when an alias points to no known territory
   */
  public static Territories withAliases(Map<String, String> aliases) {
    Map<String, String> map = new HashMap<>();
    aliases.forEach(
        (alias, target) -> {
          String t = canonical(target);
          if (t == null) {
            throw new IllegalArgumentException(
                "territory alias '" + alias + "' points to unknown territory '" + target + "'");
          }
          map.put(alias.strip().toUpperCase(Locale.ROOT), t);
        });
    return new Territories(Map.copyOf(map));
  }

  /**
   * The canonical territory for {@code raw}; an alias used or a case change is added to {@code
   * notes}.
   *
   * @throws InvalidValueException when {@code raw} is blank or no territory
   */
  public String normalise(@Nullable String raw, List<String> notes) {
    if (raw == null || raw.isBlank()) {
      throw new InvalidValueException("territory is missing");
    }
    String s = raw.strip();
    if (CODES.contains(s) && !aliases.containsKey(s)) {
      return s; // an upper-case code that is no alias: the common case, without a copy
    }
    String alias = aliases.get(s.toUpperCase(Locale.ROOT));
    if (alias != null) {
      notes.add("territory: alias " + s + " -> " + alias);
      return alias;
    }
    String t = canonical(s);
    if (t == null) {
      throw new InvalidValueException(
          "territory '" + raw + "' is not ISO 3166-1 alpha-2, XK, Worldwide or a configured alias");
    }
    if (!t.equals(s)) {
      notes.add("territory: " + s + " -> " + t);
    }
    return t;
  }

  private static @Nullable String canonical(String s) {
    String trimmed = s.strip();
    if (trimmed.equalsIgnoreCase(WORLDWIDE)) {
      return WORLDWIDE;
    }
    String upper = trimmed.toUpperCase(Locale.ROOT);
    return CODES.contains(upper) ? upper : null;
  }
}
