package dev.paritysync.hotel.adapter;

import dev.paritysync.hotel.channel.ChannelMapping;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link ChannelMapping} read backwards, for snapshots: channel code → PMS code. A channel code
 * that two PMS codes map to is ambiguous and translates to nothing (the snapshot reports it as
 * unmapped rather than guess). Immutable and thread-safe.
 */
final class ReverseMapping {
  private final Map<String, String> rooms;
  private final Map<String, String> ratePlans;

  /** {@code mapping} read backwards. */
  public ReverseMapping(ChannelMapping mapping) {
    this.rooms = invert(mapping.rooms());
    this.ratePlans = invert(mapping.ratePlans());
  }

  /** The PMS room type the channel's room {@code code} stands for. */
  public Optional<String> room(String code) {
    return Optional.ofNullable(rooms.get(code));
  }

  /** The PMS rate plan the channel's rate plan {@code code} stands for. */
  public Optional<String> ratePlan(String code) {
    return Optional.ofNullable(ratePlans.get(code));
  }

  private static Map<String, String> invert(Map<String, String> forward) {
    Map<String, String> back = new HashMap<>();
    Set<String> ambiguous = new HashSet<>();
    forward.forEach(
        (pms, channel) -> {
          if (back.putIfAbsent(channel, pms) != null) {
            ambiguous.add(channel);
          }
        });
    ambiguous.forEach(back::remove);
    return Map.copyOf(back);
  }
}
