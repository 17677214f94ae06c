package dev.paritysync.hotel.channel;

import dev.paritysync.core.config.ConfigMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a channel's {@code priority} block into a {@link ChannelPriority}. */
final class PriorityReader {
  private static final String CLASSES = "close, availability, rate, restriction";

  private PriorityReader() {}

  /**
   * The {@code priority} key of {@code channel}: {@code off} (YAML reads it as false) or {@code on}
   * (true), or a map of {@code order} and {@code maxWait}, each optional.
   *
   * @throws IllegalArgumentException naming the key path of the bad value
   */
  static ChannelPriority read(ConfigMap channel) {
    Object v = channel.raw("priority");
    if (Boolean.FALSE.equals(v) || "off".equals(v)) {
      return ChannelPriority.OFF;
    }
    if (Boolean.TRUE.equals(v) || "on".equals(v)) {
      return ChannelPriority.DEFAULT;
    }
    if (!(v instanceof Map)) {
      throw channel.error(
          "priority",
          "expected off, on or a map of order and maxWait, got " + ConfigMap.describe(v));
    }
    ConfigMap node = channel.child("priority").allow("order", "maxWait");
    return new ChannelPriority(
        true,
        node.has("order") ? order(node) : ChannelPriority.DEFAULT.order(),
        node.positiveDuration("maxWait", ChannelPriority.DEFAULT_MAX_WAIT));
  }

  private static List<PriorityClass> order(ConfigMap node) {
    if (!(node.raw("order") instanceof List<?> items)) {
      throw node.error(
          "order",
          "expected a list of " + CLASSES + ", got " + ConfigMap.describe(node.raw("order")));
    }
    List<PriorityClass> order = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String item = "order[" + i + "]";
      PriorityClass c = classOf(node, item, items.get(i));
      if (order.contains(c)) {
        throw node.error(item, c.configName() + " is listed twice");
      }
      order.add(c);
    }
    for (PriorityClass c : PriorityClass.values()) {
      if (!order.contains(c)) {
        throw node.error("order", "must list every class once; " + c.configName() + " is missing");
      }
    }
    return order;
  }

  private static PriorityClass classOf(ConfigMap node, String item, Object value) {
    if (value instanceof String s) {
      for (PriorityClass c : PriorityClass.values()) {
        if (c.configName().equals(s)) {
          return c;
        }
      }
      throw node.error(item, "unknown class '" + s + "'; expected one of " + CLASSES);
    }
    throw node.error(item, "expected one of " + CLASSES + ", got " + ConfigMap.describe(value));
  }
}
