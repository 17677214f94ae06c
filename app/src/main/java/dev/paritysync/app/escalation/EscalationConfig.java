package dev.paritysync.app.escalation;

import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.config.ConfigMap;
import dev.paritysync.hotel.channel.SecretResolver;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code escalation:} section of the configuration file ({@code docs/operations.md},
 * "Escalation"): which conditions are watched, how often, and who is told.
 *
 * <pre>{@code
 * escalation:
 *   every: 30s                         # how often the conditions are evaluated; default 30s
 *   conditions:                        # optional; absent = all three with their defaults
 *     reconciliationDrift: {cells: 1}  # drifted cells awaiting review, per channel, >= cells
 *     circuitOpen: {for: 5m}           # a channel's circuit open (or half-open) at least this long
 *     deadLetters: {count: 10}         # open dead letters, per channel, >= count
 *   receivers:                         # required, at least one
 *     ops:   {type: webhook, url: "https://ops.example/hooks", secret: "${env:ESCALATION_WHSEC}"}
 *     alerts: {type: alertmanager, url: "http://127.0.0.1:9093/api/v2/alerts", repeat: 1m}
 * }</pre>
 *
 * <p>When {@code conditions} is given, only the conditions it names are watched; each key of a
 * named condition defaults as shown. A webhook's {@code secret} is a reference ({@code ${env:NAME}}
 * or {@code ${file:/path}}) to a Standard Webhooks secret ({@code whsec_<base64>}); an Alertmanager
 * receiver takes {@code repeat} (default 1 minute, at least 1 second: it re-sends a firing alert
 * that often) and an optional {@code generatorUrl}. Unknown keys and bad values fail naming their
 * full key path. Immutable and thread-safe.
 *
 * @param every {@code escalation.every}: the evaluation period, at least 1 second
 * @param driftCells {@code conditions.reconciliationDrift.cells}, or null when not watched
 * @param circuitOpenFor {@code conditions.circuitOpen.for}, or null when not watched
 * @param deadLetters {@code conditions.deadLetters.count}, or null when not watched
 * @param receivers the receivers by name, in file order
 */
public record EscalationConfig(
    Duration every,
    @Nullable Integer driftCells,
    @Nullable Duration circuitOpenFor,
    @Nullable Integer deadLetters,
    Map<String, Receiver> receivers) {

  /** Default of {@code escalation.every}: 30 seconds. */
  public static final Duration DEFAULT_EVERY = Duration.ofSeconds(30);

  /** Default of {@code conditions.reconciliationDrift.cells}: 1, any drift held for review. */
  public static final int DEFAULT_DRIFT_CELLS = 1;

  /** Default of {@code conditions.circuitOpen.for}: 5 minutes. */
  public static final Duration DEFAULT_CIRCUIT_OPEN_FOR = Duration.ofMinutes(5);

  /** Default of {@code conditions.deadLetters.count}: 10. */
  public static final int DEFAULT_DEAD_LETTERS = 10;

  /** Default of an Alertmanager receiver's {@code repeat}: 1 minute. */
  public static final Duration DEFAULT_REPEAT = Duration.ofMinutes(1);

  private static final Duration MIN_PERIOD = Duration.ofSeconds(1);

  /** Copies {@code receivers}, keeping their order. */
  public EscalationConfig {
    Objects.requireNonNull(every, "every");
    receivers = Map.copyOf(new LinkedHashMap<>(receivers));
  }

  /** A receiver's kind. */
  public enum Type {
    /** A JSON POST signed with the Standard Webhooks scheme. */
    WEBHOOK,
    /** The Alertmanager v2 API ({@code POST /api/v2/alerts}). */
    ALERTMANAGER
  }

  /**
   * One receiver, {@code escalation.receivers.<name>}.
   *
   * @param name its name, in logs, metrics and the state table
   * @param type its kind
   * @param url where notifications are posted
   * @param secret the signing secret (webhook), else null
   * @param repeat how often a firing alert is re-sent (Alertmanager), else null
   * @param generatorUrl the alerts' {@code generatorURL} (Alertmanager), or null
   */
  public record Receiver(
      String name,
      Type type,
      URI url,
      @Nullable Secret secret,
      @Nullable Duration repeat,
      @Nullable String generatorUrl) {
    /** Checks that name, type and url are given. */
    public Receiver {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(url, "url");
    }

    @Override
    public String toString() {
      return "Receiver[" + name + ", " + type + ", " + url + "]";
    }
  }

  /**
   * Reads an {@code escalation:} section.
   *
   * @throws IllegalArgumentException naming the full key of a bad, missing or unknown value
   */
  public static EscalationConfig parse(ConfigMap e, SecretResolver secrets) {
    Duration every = atLeastOneSecond(e, "every", DEFAULT_EVERY);
    Integer driftCells = DEFAULT_DRIFT_CELLS;
    Duration circuitOpenFor = DEFAULT_CIRCUIT_OPEN_FOR;
    Integer deadLetters = DEFAULT_DEAD_LETTERS;
    if (e.has("conditions")) {
      ConfigMap c = e.child("conditions");
      driftCells = null;
      circuitOpenFor = null;
      deadLetters = null;
      if (c.has("reconciliationDrift")) {
        ConfigMap d = c.child("reconciliationDrift");
        driftCells = atLeastOne(d, "cells", DEFAULT_DRIFT_CELLS);
        d.rejectUnknown();
      }
      if (c.has("circuitOpen")) {
        ConfigMap o = c.child("circuitOpen");
        circuitOpenFor = o.positiveDuration("for", DEFAULT_CIRCUIT_OPEN_FOR);
        o.rejectUnknown();
      }
      if (c.has("deadLetters")) {
        ConfigMap d = c.child("deadLetters");
        deadLetters = atLeastOne(d, "count", DEFAULT_DEAD_LETTERS);
        d.rejectUnknown();
      }
      c.rejectUnknown();
      if (driftCells == null && circuitOpenFor == null && deadLetters == null) {
        throw new IllegalArgumentException(
            c.path() + ": is empty; name reconciliationDrift, circuitOpen or deadLetters");
      }
    }
    if (!e.has("receivers")) {
      throw new IllegalArgumentException(
          e.key("receivers") + ": is missing; name at least one receiver");
    }
    ConfigMap all = e.child("receivers");
    Map<String, Receiver> receivers = new LinkedHashMap<>();
    for (String name : all.asMap().keySet()) {
      receivers.put(name, receiver(name, all.child(name), secrets));
    }
    if (receivers.isEmpty()) {
      throw new IllegalArgumentException(all.path() + ": is empty; name at least one receiver");
    }
    e.rejectUnknown();
    return new EscalationConfig(every, driftCells, circuitOpenFor, deadLetters, receivers);
  }

  private static Receiver receiver(String name, ConfigMap r, SecretResolver secrets) {
    String typeName = r.string("type", null);
    if (typeName == null) {
      throw new IllegalArgumentException(
          r.key("type") + ": is missing; expected webhook or alertmanager");
    }
    Type type;
    try {
      type = Type.valueOf(typeName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException notOne) {
      throw new IllegalArgumentException(
          r.key("type") + ": expected webhook or alertmanager, was '" + typeName + "'");
    }
    if (!r.has("url")) {
      throw new IllegalArgumentException(r.key("url") + ": is missing; an http(s) URL");
    }
    URI url = r.url("url");
    Secret secret = null;
    Duration repeat = null;
    String generatorUrl = null;
    if (type == Type.WEBHOOK) {
      if (!r.has("secret")) {
        throw new IllegalArgumentException(
            r.key("secret") + ": is missing; a reference ${env:NAME} or ${file:/path}");
      }
      secret = r.secret("secret", secrets);
      try {
        dev.paritysync.core.webhook.StandardWebhooks.sign(
            secret, "check", java.time.Instant.EPOCH, new byte[0]);
      } catch (IllegalArgumentException bad) {
        throw new IllegalArgumentException(r.key("secret") + ": " + bad.getMessage(), bad);
      }
    } else {
      repeat = atLeastOneSecond(r, "repeat", DEFAULT_REPEAT);
      URI generator = r.optionalUrl("generatorUrl");
      generatorUrl = generator == null ? null : generator.toString();
    }
    r.rejectUnknown();
    return new Receiver(name, type, url, secret, repeat, generatorUrl);
  }

  private static Duration atLeastOneSecond(ConfigMap m, String key, Duration fallback) {
    return m.durationAtLeast(key, MIN_PERIOD, fallback);
  }

  private static int atLeastOne(ConfigMap m, String key, int fallback) {
    return m.integerIn(key, fallback, 1, Integer.MAX_VALUE);
  }
}
