package dev.paritysync.hotel.channel;

import dev.paritysync.core.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a channel's {@code priority} block into a {@link ChannelPriority}. */
final class PriorityReader {
  private static final String CLASSES = "close, availability, rate, restriction";

  private PriorityReader() {}

  /**
   * {@code off} (YAML reads it as false) or {@code on} (true), or a map of {@code order} and {@code
   * maxWait}, each optional.
   *
   * @throws IllegalArgumentException naming the key path of the bad value
   */
  static ChannelPriority read(ConfigNode node) {
    Object v = node.value();
    if (Boolean.FALSE.equals(v) || "off".equals(v)) {
      return ChannelPriority.OFF;
    }
    if (Boolean.TRUE.equals(v) || "on".equals(v)) {
      return ChannelPriority.DEFAULT;
    }
    if (!(v instanceof Map)) {
      throw node.error(
          "expected off, on or a map of order and maxWait, got " + ConfigNode.describe(v));
    }
    Map<String, ConfigNode> e = node.entries(Set.of(), List.of("order", "maxWait"));
    ConfigNode order = e.get("order");
    ConfigNode maxWait = e.get("maxWait");
    return new ChannelPriority(
        true,
        order == null || !order.isPresent() ? ChannelPriority.DEFAULT.order() : order(order),
        maxWait == null || !maxWait.isPresent()
            ? ChannelPriority.DEFAULT_MAX_WAIT
            : maxWait(maxWait));
  }

  private static List<PriorityClass> order(ConfigNode node) {
    if (!(node.value() instanceof List<?> items)) {
      throw node.error(
          "expected a list of " + CLASSES + ", got " + ConfigNode.describe(node.value()));
    }
    List<PriorityClass> order = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      ConfigNode item = new ConfigNode(node.path() + "[" + i + "]", items.get(i));
      PriorityClass c = classOf(item);
      if (order.contains(c)) {
        throw item.error(c.configName() + " is listed twice");
      }
      order.add(c);
    }
    for (PriorityClass c : PriorityClass.values()) {
      if (!order.contains(c)) {
        throw node.error("must list every class once; " + c.configName() + " is missing");
      }
    }
    return order;
  }

  private static PriorityClass classOf(ConfigNode item) {
    if (item.value() instanceof String s) {
      for (PriorityClass c : PriorityClass.values()) {
        if (c.configName().equals(s)) {
          return c;
        }
      }
      throw item.error("unknown class '" + s + "'; expected one of " + CLASSES);
    }
    throw item.error("expected one of " + CLASSES + ", got " + ConfigNode.describe(item.value()));
  }

  private static Duration maxWait(ConfigNode node) {
    Duration d = Durations.parse(node.path(), node.value());
    if (d.isNegative() || d.isZero()) {
      throw node.error(node.value() + " is not above 0");
    }
    return d;
  }
}
