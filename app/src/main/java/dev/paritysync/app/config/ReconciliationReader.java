package dev.paritysync.app.config;

import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.reconcile.ReconcileSchedule;
import dev.paritysync.hotel.reconcile.Thresholds;
import java.time.Duration;
import java.util.Map;

/** Reads the {@code reconciliation:} section of an engine file. Static. */
final class ReconciliationReader {
  private ReconciliationReader() {}

  /**
   * The section {@code r}, whose per-channel thresholds must name channels of {@code
   * channelConfigs}.
   *
   * @throws IllegalArgumentException naming the full key of the first bad or unknown value
   */
  static EngineFileConfig.Reconciliation read(
      ConfigMap r, Map<String, ChannelConfig> channelConfigs) {
    Thresholds defaults = thresholds(r.child("autoCorrect"), Thresholds.DEFAULTS);
    ConfigMap chs = r.child("channels");
    Map<String, Thresholds> per = new java.util.LinkedHashMap<>();
    for (String name : chs.asMap().keySet()) {
      if (!channelConfigs.containsKey(name)) {
        throw new IllegalArgumentException(
            chs.key(name) + ": no such channel; channels: " + channelConfigs.keySet());
      }
      ConfigMap c = chs.child(name);
      per.put(name, thresholds(c.child("autoCorrect"), defaults));
      c.rejectUnknown();
    }
    chs.rejectUnknown();
    java.util.Optional<ReconcileSchedule.Timetable> schedule = java.util.Optional.empty();
    if (r.has("schedule")) {
      schedule = java.util.Optional.of(timetable(r.child("schedule")));
    }
    Duration verifyAfterOpen =
        r.nonNegativeDuration(
            "verifyAfterOpen", EngineFileConfig.Reconciliation.DEFAULT_VERIFY_AFTER_OPEN);
    r.rejectUnknown();
    return new EngineFileConfig.Reconciliation(defaults, per, schedule, verifyAfterOpen);
  }

  /** {@code reconciliation.schedule}: each key defaults to {@code Timetable.DEFAULTS}'. */
  private static ReconcileSchedule.Timetable timetable(ConfigMap t) {
    ReconcileSchedule.Timetable d = ReconcileSchedule.Timetable.DEFAULTS;
    String at = t.string("nightlyAt", d.nightlyAt().toString());
    java.time.LocalTime nightlyAt;
    try {
      nightlyAt = java.time.LocalTime.parse(at);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          t.key("nightlyAt") + ": '" + at + "' is not a time of day like 03:00 (UTC)", e);
    }
    int fullDays = t.integer("fullDays", d.fullDays());
    java.time.Duration lightEvery = t.duration("lightEvery", d.lightEvery());
    int lightDays = t.integer("lightDays", d.lightDays());
    t.rejectUnknown();
    try {
      return new ReconcileSchedule.Timetable(nightlyAt, fullDays, lightEvery, lightDays);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(t.path() + ": " + e.getMessage(), e);
    }
  }

  private static Thresholds thresholds(ConfigMap a, Thresholds fallback) {
    int maxCells = a.integerIn("maxCells", fallback.maxCells(), 0, Integer.MAX_VALUE);
    double maxPercent = a.decimalIn("maxPercent", fallback.maxPercent(), 0, 100);
    a.rejectUnknown();
    return new Thresholds(maxCells, maxPercent);
  }
}
