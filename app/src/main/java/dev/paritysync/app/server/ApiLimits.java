package dev.paritysync.app.server;

import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.hotel.ari.ChangeValidator;
import dev.paritysync.hotel.poll.WebhookIntake;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * The bounds the HTTP API puts on what a client controls, each read from a {@code server:} key (see
 * {@code docs/api.md}, "Limits"). A request over any of them is answered with an RFC 9457 problem
 * naming the limit, its key and the value's size, and nothing of it is stored. The body size
 * ({@code server.maxBodyBytes}) is in {@link dev.paritysync.app.config.ServerConfig}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxJsonDepth how deep a JSON body may nest ({@code server.maxJsonDepth}, default 32)
 * @param maxNumberLength the longest number, or amount string, in characters ({@code
 *     server.maxNumberLength}, default 64)
 * @param maxRate the largest rate amount in any currency ({@code server.maxRate}, default and at
 *     most {@link ChangeValidator#MAX_RATE})
 * @param maxCellsPerChange the most cells one change may set ({@code server.maxCellsPerChange},
 *     default 1,502: 751 nights, the validator's horizon, of a rate plan and of its room)
 * @param maxCellsPerRequest the most cells one request may set ({@code server.maxCellsPerRequest},
 *     default 20,000)
 * @param maxErrors the most field errors listed in one problem document; the rest are counted
 *     ({@code server.maxErrors}, default 100)
 * @param maxHeaderBytes the largest request line plus headers ({@code server.maxHeaderBytes},
 *     default 8,192): a longer URI is 414, longer headers 431
 * @param maxStayNights the longest stay a webhook may hold ({@code server.maxStayNights}, default
 *     750); longer ones are dead-lettered
 */
public record ApiLimits(
    int maxJsonDepth,
    int maxNumberLength,
    BigDecimal maxRate,
    int maxCellsPerChange,
    int maxCellsPerRequest,
    int maxErrors,
    int maxHeaderBytes,
    int maxStayNights) {

  /** Every default. */
  public static final ApiLimits DEFAULTS =
      new ApiLimits(
          32,
          64,
          ChangeValidator.MAX_RATE,
          2 * (ChangeValidator.DEFAULT_HORIZON_DAYS + 1),
          20_000,
          100,
          8 * 1024,
          WebhookIntake.DEFAULT_MAX_STAY_NIGHTS);

  /**
   * Checks every bound.
   *
   * @throws IllegalArgumentException naming the {@code server.} key of the first bad bound
   */
  public ApiLimits {
    Objects.requireNonNull(maxRate, "maxRate");
    atLeast("maxJsonDepth", maxJsonDepth, 2);
    atLeast("maxNumberLength", maxNumberLength, 16);
    if (maxRate.signum() <= 0 || maxRate.compareTo(ChangeValidator.MAX_RATE) > 0) {
      throw new IllegalArgumentException(
          "server.maxRate: must be above 0 and at most "
              + ChangeValidator.MAX_RATE.toPlainString()
              + ", was "
              + maxRate.toPlainString());
    }
    atLeast("maxCellsPerChange", maxCellsPerChange, 1);
    atLeast("maxCellsPerRequest", maxCellsPerRequest, 1);
    atLeast("maxErrors", maxErrors, 1);
    atLeast("maxHeaderBytes", maxHeaderBytes, 1024);
    atLeast("maxStayNights", maxStayNights, 1);
  }

  /**
   * Reads the limits from {@code server} (the {@code server:} section), each key optional.
   *
   * @throws IllegalArgumentException naming the full key of the first bad value
   */
  public static ApiLimits parse(ConfigMap server) {
    ApiLimits d = DEFAULTS;
    BigDecimal maxRate = d.maxRate();
    if (server.has("maxRate")) {
      try {
        maxRate = new BigDecimal(String.valueOf(server.raw("maxRate")).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            server.key("maxRate") + ": '" + server.raw("maxRate") + "' is not a number", e);
      }
    }
    return new ApiLimits(
        server.integer("maxJsonDepth", d.maxJsonDepth()),
        server.integer("maxNumberLength", d.maxNumberLength()),
        maxRate,
        server.integer("maxCellsPerChange", d.maxCellsPerChange()),
        server.integer("maxCellsPerRequest", d.maxCellsPerRequest()),
        server.integer("maxErrors", d.maxErrors()),
        server.integer("maxHeaderBytes", d.maxHeaderBytes()),
        server.integer("maxStayNights", d.maxStayNights()));
  }

  private static void atLeast(String key, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(
          "server." + key + ": must be at least " + min + ", was " + value);
    }
  }
}
