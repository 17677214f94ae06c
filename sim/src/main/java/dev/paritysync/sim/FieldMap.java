package dev.paritysync.sim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One dialect's description of its wire fields: which {@link AriField} is called what, in the order
 * the dialect writes them. Decoders read update fields by it, field errors point by it, and {@link
 * CellWriter} writes cells by it, so a dialect states its names once. Immutable.
 */
final class FieldMap {
  private final Map<AriField, String> names;

  private FieldMap(Map<AriField, String> names) {
    this.names = Collections.unmodifiableMap(names);
  }

  /** A map of {@code field} called {@code name}; add the others with {@link #and}. */
  static FieldMap of(AriField field, String name) {
    return new FieldMap(new LinkedHashMap<>()).and(field, name);
  }

  /** This map with {@code field} called {@code name} after the fields it has. */
  FieldMap and(AriField field, String name) {
    if (names.containsKey(field)) {
      throw new IllegalArgumentException("field " + field + " is mapped twice");
    }
    Map<AriField, String> next = new LinkedHashMap<>(names);
    next.put(field, name);
    return new FieldMap(next);
  }

  /** Only {@code fields}, in the order given: what one message or listing of the dialect holds. */
  FieldMap only(AriField... fields) {
    Map<AriField, String> next = new LinkedHashMap<>();
    for (AriField f : fields) {
      String name = names.get(f);
      if (name == null) {
        throw new IllegalArgumentException("field " + f + " is not in " + names.keySet());
      }
      next.put(f, name);
    }
    return new FieldMap(next);
  }

  /** The fields and their wire names, in order. */
  Map<AriField, String> names() {
    return names;
  }

  /** The wire name of the field the simulator calls {@code simName}, or null when not mapped. */
  @Nullable String wire(String simName) {
    for (Map.Entry<AriField, String> e : names.entrySet()) {
      if (e.getKey().simName().equals(simName)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** {@link #wire(String)}, or {@code simName} itself when not mapped: where an error points. */
  String pointerName(String simName) {
    String wire = wire(simName);
    return wire == null ? simName : wire;
  }

  /** Whether {@code wireName} names an update field of this map (not a cell-only one). */
  boolean isUpdateField(String wireName) {
    for (Map.Entry<AriField, String> e : names.entrySet()) {
      if (e.getKey().inUpdate() && e.getValue().equals(wireName)) {
        return true;
      }
    }
    return false;
  }
}
