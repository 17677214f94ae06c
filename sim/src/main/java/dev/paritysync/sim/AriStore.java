package dev.paritysync.sim;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The channel's cells, its idempotency records and its count of applications per key. One lock
 * guards all of it, so a key's check-and-apply is atomic even when two requests race with the same
 * key.
 */
final class AriStore {
  /** A successful write remembered under its key: the body's fingerprint and the response. */
  record Stored(byte[] fingerprint, int status, byte[] body) {}

  /** What a key says about a request before anything is applied. */
  sealed interface Lookup permits Fresh, Replay, Reused, Applied {}

  record Fresh() implements Lookup {}

  record Replay(Stored stored) implements Lookup {}

  record Reused() implements Lookup {}

  record Applied(Stored stored) implements Lookup {}

  private static final Fresh FRESH = new Fresh();

  private final Object lock = new Object();
  private final Map<String, TreeMap<CellKey, CellValue>> cells = new HashMap<>();
  private final Map<String, java.util.Set<CellKey>> dropped = new HashMap<>();
  private final Map<String, Stored> byKey = new HashMap<>();
  private final Map<String, Integer> applications = new HashMap<>();
  private long doubleApplications;
  private long unkeyedApplications;
  private long cellsApplied;

  Lookup lookup(@Nullable String key, byte[] fingerprint) {
    if (key == null) {
      return FRESH;
    }
    synchronized (lock) {
      Stored s = byKey.get(key);
      if (s == null) {
        return FRESH;
      }
      return Arrays.equals(s.fingerprint(), fingerprint) ? new Replay(s) : new Reused();
    }
  }

  /**
   * Applies {@code updates} and returns {@link Applied}, unless another request stored {@code key}
   * since {@link #lookup}; then returns what the key now says ({@link Replay} or {@link Reused}).
   *
   * @param remember whether to store the response under {@code key} (idempotency honoured)
   */
  Lookup apply(
      String property,
      @Nullable String key,
      byte[] fingerprint,
      List<AriUpdate> updates,
      boolean remember,
      IntFunction<Stored> response,
      java.util.function.BooleanSupplier drop) {
    synchronized (lock) {
      if (remember && key != null) {
        Stored s = byKey.get(key);
        if (s != null) {
          return Arrays.equals(s.fingerprint(), fingerprint) ? new Replay(s) : new Reused();
        }
      }
      TreeMap<CellKey, CellValue> map = cells.computeIfAbsent(property, p -> new TreeMap<>());
      int n = 0;
      java.util.Set<CellKey> lost = dropped.computeIfAbsent(property, p -> new TreeSet<>());
      for (AriUpdate u : updates) {
        CellValue v = u.value();
        // answered as applied either way; a dropped update leaves the cells as they were
        boolean silentlyDropped = drop.getAsBoolean();
        // validated (AriRules): every update names its room and dates
        String room = Objects.requireNonNull(u.room(), "room");
        LocalDate to = Objects.requireNonNull(u.to(), "to");
        for (LocalDate d = Objects.requireNonNull(u.from(), "from");
            !d.isAfter(to);
            d = d.plusDays(1)) {
          CellKey cell = new CellKey(room, u.ratePlan(), d);
          if (silentlyDropped) {
            lost.add(cell);
          } else {
            map.merge(cell, v, CellValue::merge);
            lost.remove(cell);
          }
          n++;
        }
      }
      cellsApplied += n;
      if (key == null) {
        unkeyedApplications++;
      } else if (applications.merge(key, 1, Integer::sum) == 2) {
        doubleApplications++;
      }
      Stored stored = response.apply(n);
      if (remember && key != null) {
        byKey.put(key, stored);
      }
      return new Applied(stored);
    }
  }

  SortedMap<CellKey, CellValue> read(String property, LocalDate from, LocalDate to) {
    synchronized (lock) {
      TreeMap<CellKey, CellValue> out = new TreeMap<>();
      TreeMap<CellKey, CellValue> map = cells.get(property);
      if (map != null) {
        map.forEach(
            (k, v) -> {
              if (!k.date().isBefore(from) && !k.date().isAfter(to)) {
                out.put(k, v);
              }
            });
      }
      return out;
    }
  }

  /** The cells of {@code property} whose newest write was silently dropped, in key order. */
  java.util.SortedSet<CellKey> dropped(String property) {
    synchronized (lock) {
      java.util.Set<CellKey> lost = dropped.get(property);
      return lost == null ? new TreeSet<>() : new TreeSet<>(lost);
    }
  }

  /** Test hook: sets or, with a null value, removes one cell, as an extranet edit would. */
  void overwrite(String property, CellKey key, @Nullable CellValue value) {
    synchronized (lock) {
      java.util.Set<CellKey> lost = dropped.get(property);
      if (lost != null) {
        lost.remove(key);
      }
      TreeMap<CellKey, CellValue> map = cells.computeIfAbsent(property, p -> new TreeMap<>());
      if (value == null) {
        map.remove(key);
      } else {
        map.put(key, value);
      }
    }
  }

  Map<CellKey, CellValue> all(String property) {
    synchronized (lock) {
      TreeMap<CellKey, CellValue> map = cells.get(property);
      return map == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }
  }

  int applications(String key) {
    synchronized (lock) {
      return applications.getOrDefault(key, 0);
    }
  }

  Map<String, Integer> applicationsByKey() {
    synchronized (lock) {
      return Map.copyOf(applications);
    }
  }

  long doubleApplications() {
    synchronized (lock) {
      return doubleApplications;
    }
  }

  long unkeyedApplications() {
    synchronized (lock) {
      return unkeyedApplications;
    }
  }

  long cellsApplied() {
    synchronized (lock) {
      return cellsApplied;
    }
  }

  /** SHA-256 of {@code property} and {@code body}: what an idempotency key is bound to. */
  static byte[] fingerprint(String property, byte[] body) {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      sha.update(property.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      sha.update((byte) 0);
      return sha.digest(body);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always present", e);
    }
  }
}
