package dev.paritysync.royalty.drift;

import dev.paritysync.core.config.ConfigMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Thresholds of the drift rules: the {@code drift:} section of the configuration file. Immutable
 * and thread-safe.
 *
 * <pre>{@code
 * drift:
 *   revenuePerStream: {k: 5, madScale: 1.4826, trailingPeriods: 6, minPeriods: 3, minRelativeWidth: 0.05}
 *   zero: {freeUseTypes: [], freeCommercialModels: [FreeOfChargeModel]}
 *   volume: {factor: 10, minQuantity: 1000, trailingPeriods: 6, minPeriods: 2}
 * }</pre>
 *
 * <p>Every key is optional; the values above are the defaults ({@link #defaults()}). Unknown keys
 * and bad values fail with one line naming the key path, e.g. {@code drift.volume.factor: must be
 * above 1, was 0.5}.
 *
 * @param k revenue per stream: the band is median ± k · madScale · MAD
 * @param madScale scales the MAD to a standard deviation for normal data (1.4826)
 * @param trailingPeriods revenue per stream: how many months before the period checked form the
 *     band
 * @param minPeriods revenue per stream: a group with data in fewer trailing months is not judged
 * @param minRelativeWidth revenue per stream: the band's half-width is at least this share of the
 *     median, so identical trailing rates (MAD 0) do not flag every rounding difference
 * @param freeUseTypes use types whose zero revenue or zero streams are expected (case ignored)
 * @param freeCommercialModels commercial models likewise (case ignored)
 * @param volumeFactor volume jump: quantity above this many times the median of previous periods
 * @param volumeMinQuantity volume jump: only quantities of at least this many are judged
 * @param volumeTrailingPeriods volume jump: how many months before the period checked count
 * @param volumeMinPeriods volume jump: an ISRC × territory seen in fewer previous months is not
 *     judged (a new release is no jump)
 */
public record DriftConfig(
    double k,
    double madScale,
    int trailingPeriods,
    int minPeriods,
    double minRelativeWidth,
    List<String> freeUseTypes,
    List<String> freeCommercialModels,
    double volumeFactor,
    long volumeMinQuantity,
    int volumeTrailingPeriods,
    int volumeMinPeriods) {

  /**
   * Checks the values and copies the lists, lower-cased.
   *
   * @throws IllegalArgumentException naming the key ({@code drift.…}) of the first bad value
   */
  public DriftConfig {
    require(k > 0, "drift.revenuePerStream.k: must be above 0, was " + k);
    require(madScale > 0, "drift.revenuePerStream.madScale: must be above 0, was " + madScale);
    require(
        trailingPeriods >= 1,
        "drift.revenuePerStream.trailingPeriods: must be at least 1, was " + trailingPeriods);
    require(
        minPeriods >= 1 && minPeriods <= trailingPeriods,
        "drift.revenuePerStream.minPeriods: must be 1 to trailingPeriods ("
            + trailingPeriods
            + "), was "
            + minPeriods);
    require(
        minRelativeWidth >= 0,
        "drift.revenuePerStream.minRelativeWidth: must be 0 or more, was " + minRelativeWidth);
    require(volumeFactor > 1, "drift.volume.factor: must be above 1, was " + volumeFactor);
    require(
        volumeMinQuantity >= 0,
        "drift.volume.minQuantity: must be 0 or more, was " + volumeMinQuantity);
    require(
        volumeTrailingPeriods >= 1,
        "drift.volume.trailingPeriods: must be at least 1, was " + volumeTrailingPeriods);
    require(
        volumeMinPeriods >= 1 && volumeMinPeriods <= volumeTrailingPeriods,
        "drift.volume.minPeriods: must be 1 to trailingPeriods ("
            + volumeTrailingPeriods
            + "), was "
            + volumeMinPeriods);
    freeUseTypes = lower(freeUseTypes);
    freeCommercialModels = lower(freeCommercialModels);
  }

  /** The defaults, as documented on the type. */
  public static DriftConfig defaults() {
    return new DriftConfig(
        5, 1.4826, 6, 3, 0.05, List.of(), List.of("FreeOfChargeModel"), 10, 1000, 6, 2);
  }

  /**
   * The configuration in {@code drift}, the YAML-loaded content of the {@code drift:} section (null
   * or empty: the defaults).
   *
   * @throws IllegalArgumentException naming the key path of the first unknown key or bad value
   */
  public static DriftConfig fromMap(@Nullable Map<String, ?> drift) {
    return from(new ConfigMap("drift", drift));
  }

  /**
   * The configuration in the {@code drift:} section {@code root} (empty: the defaults).
   *
   * @throws IllegalArgumentException naming the key path of the first unknown key or bad value
   */
  public static DriftConfig from(ConfigMap root) {
    DriftConfig d = defaults();
    ConfigMap rps = root.child("revenuePerStream");
    ConfigMap zero = root.child("zero");
    ConfigMap vol = root.child("volume");
    root.rejectUnknown();
    DriftConfig c =
        new DriftConfig(
            rps.decimal("k", d.k()),
            rps.decimal("madScale", d.madScale()),
            rps.integer("trailingPeriods", d.trailingPeriods()),
            rps.integer("minPeriods", d.minPeriods()),
            rps.decimal("minRelativeWidth", d.minRelativeWidth()),
            strings(zero, "freeUseTypes", d.freeUseTypes()),
            strings(zero, "freeCommercialModels", d.freeCommercialModels()),
            vol.decimal("factor", d.volumeFactor()),
            vol.integer("minQuantity", (int) d.volumeMinQuantity()),
            vol.integer("trailingPeriods", d.volumeTrailingPeriods()),
            vol.integer("minPeriods", d.volumeMinPeriods()));
    rps.rejectUnknown();
    zero.rejectUnknown();
    vol.rejectUnknown();
    return c;
  }

  /** The settings as a map with the YAML keys, for reports. */
  Map<String, Object> toMap() {
    Map<String, Object> rps = new LinkedHashMap<>();
    rps.put("k", k);
    rps.put("madScale", madScale);
    rps.put("trailingPeriods", trailingPeriods);
    rps.put("minPeriods", minPeriods);
    rps.put("minRelativeWidth", minRelativeWidth);
    Map<String, Object> zero = new LinkedHashMap<>();
    zero.put("freeUseTypes", freeUseTypes);
    zero.put("freeCommercialModels", freeCommercialModels);
    Map<String, Object> vol = new LinkedHashMap<>();
    vol.put("factor", volumeFactor);
    vol.put("minQuantity", volumeMinQuantity);
    vol.put("trailingPeriods", volumeTrailingPeriods);
    vol.put("minPeriods", volumeMinPeriods);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("revenuePerStream", rps);
    out.put("zero", zero);
    out.put("volume", vol);
    return out;
  }

  private static List<String> strings(ConfigMap map, String name, List<String> fallback) {
    return map.has(name) ? map.strings(name) : fallback;
  }

  private static List<String> lower(List<String> values) {
    List<String> out = new ArrayList<>();
    values.forEach(v -> out.add(v.strip().toLowerCase(Locale.ROOT)));
    return List.copyOf(out);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
