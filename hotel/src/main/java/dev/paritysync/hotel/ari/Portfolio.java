package dev.paritysync.hotel.ari;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The properties, room types and rate plans the PMS knows: the codes a {@link Change} may address.
 * Immutable and thread-safe; to learn a new code, build a new portfolio.
 */
public final class Portfolio {
  private final Map<String, Property> properties;

  private Portfolio(List<Property> properties) {
    Map<String, Property> byCode = new LinkedHashMap<>();
    for (Property p : properties) {
      if (byCode.put(p.code(), p) != null) {
        throw new IllegalArgumentException("duplicate property code " + p.code());
      }
    }
    this.properties = byCode;
  }

  /**
   * A portfolio of {@code properties}.
   *
   * @throws IllegalArgumentException when two properties share a code
   */
  public static Portfolio of(List<Property> properties) {
    return new Portfolio(List.copyOf(properties));
  }

  /** A portfolio of {@code properties}. */
  public static Portfolio of(Property... properties) {
    return of(List.of(properties));
  }

  /** The property with {@code code}, if known. */
  public Optional<Property> property(String code) {
    return Optional.ofNullable(properties.get(code));
  }

  /** Every property, in the order given. */
  public List<Property> properties() {
    return List.copyOf(properties.values());
  }

  @Override
  public String toString() {
    return "Portfolio" + properties.keySet();
  }

  static void requireCode(String code, String what) {
    if (code == null || code.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }

  static void requireDistinct(List<String> codes, String what, String owner) {
    Set<String> seen = new HashSet<>();
    for (String c : codes) {
      if (!seen.add(c)) {
        throw new IllegalArgumentException("duplicate " + what + " code " + c + " in " + owner);
      }
    }
  }
}
