package dev.paritysync.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The registry of {@link Dialect}s, by name, in registration order; the first is the default.
 * {@link SimConfig} checks a dialect's name and its quota kinds against it, and {@link SimChannel}
 * takes its routes and codec from it. Immutable.
 */
final class Dialects {

  /** Every dialect the simulator speaks; the first is the default. One line per dialect. */
  static final Dialects BUILT_IN =
      new Dialects(
          List.of(
              NativeDialect.INSTANCE,
              ChannexDialect.INSTANCE,
              CloudbedsDialect.INSTANCE,
              OtaDialect.INSTANCE));

  /** The quota kind of every dialect's reads, and of writes unless a dialect says otherwise. */
  private static final List<String> COMMON_KINDS = List.of("ari", "read");

  private final Map<String, Dialect> byName = new LinkedHashMap<>();

  /**
   * @throws IllegalArgumentException when there is none, or two share a name
   */
  Dialects(List<? extends Dialect> dialects) {
    if (dialects.isEmpty()) {
      throw new IllegalArgumentException("at least one dialect is required");
    }
    for (Dialect d : dialects) {
      if (byName.putIfAbsent(d.name(), d) != null) {
        throw new IllegalArgumentException("dialect '" + d.name() + "' is registered twice");
      }
    }
  }

  /** These dialects and {@code dialect} after them. */
  Dialects with(Dialect dialect) {
    List<Dialect> all = new ArrayList<>(byName.values());
    all.add(dialect);
    return new Dialects(all);
  }

  /**
   * The dialect called {@code name}.
   *
   * @throws IllegalArgumentException naming the key {@code dialect} and the known names
   */
  Dialect get(String name) {
    Dialect d = byName.get(name);
    if (d == null) {
      List<String> names = new ArrayList<>(byName.keySet());
      String last = names.remove(names.size() - 1);
      String expected = names.isEmpty() ? last : String.join(", ", names) + " or " + last;
      throw new IllegalArgumentException("dialect: expected " + expected + ", got '" + name + "'");
    }
    return d;
  }

  /** The dialects, in registration order. */
  List<Dialect> dialects() {
    return List.copyOf(byName.values());
  }

  /** The names, in registration order. */
  Set<String> names() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(byName.keySet()));
  }

  /** The name of the default dialect, the first registered. */
  String defaultName() {
    return byName.keySet().iterator().next();
  }

  /** Every quota kind: {@code ari}, {@code read}, then the write kinds dialects add. */
  Set<String> quotaKinds() {
    Set<String> kinds = new LinkedHashSet<>(COMMON_KINDS);
    byName.values().forEach(d -> kinds.addAll(d.writeKinds()));
    return Collections.unmodifiableSet(kinds);
  }

  /** The quota kinds for an error message: {@code ari, read; channex: availability, …}. */
  String quotaKindsText() {
    StringJoiner text = new StringJoiner("; ");
    text.add(String.join(", ", COMMON_KINDS));
    for (Dialect d : byName.values()) {
      List<String> own = new ArrayList<>(d.writeKinds());
      own.removeAll(COMMON_KINDS);
      if (!own.isEmpty()) {
        text.add(d.name() + ": " + String.join(", ", own));
      }
    }
    return text.toString();
  }
}
