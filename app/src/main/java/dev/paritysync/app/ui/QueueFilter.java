package dev.paritysync.app.ui;

import dev.paritysync.app.admin.AdminException;
import dev.paritysync.app.admin.ItemFilter;
import dev.paritysync.store.QueueItem;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A queue page's filter, as its URL carries it (so a view can be shared): channel, property, a text
 * the reason contains, entered since a date (or instant) or within an age, and status. What {@link
 * ItemFilter} can select, no more; each parameter is parsed strictly, and a bad one is a 400 page
 * naming it and its limit. Immutable.
 *
 * @param channel one channel, or null
 * @param property one property, or null
 * @param reason a text the reason contains (case-insensitive), or null
 * @param since {@code yyyy-MM-dd} (from that day's start, UTC) or an ISO-8601 instant, or null
 * @param until {@code yyyy-MM-dd} (to that day's end, UTC) or an ISO-8601 instant (before it), or
 *     null
 * @param age entered at most this long ago ({@code 30m}, {@code 6h}, {@code 2d}), or null
 * @param status {@code open} (the default), {@code replayed}, {@code discarded} or {@code all}
 */
record QueueFilter(
    @Nullable String channel,
    @Nullable String property,
    @Nullable String reason,
    @Nullable String since,
    @Nullable String until,
    @Nullable String age,
    String status) {

  /** The filter's parameters, in the order {@link #query()} writes them. */
  static final List<String> PARAMETERS =
      List.of("channel", "property", "reason", "since", "until", "age", "status");

  /** The longest age. */
  static final Duration MAX_AGE = Duration.ofDays(366);

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern AGE = Pattern.compile("([0-9]{1,6})([mhd])");

  /** The filter in {@code q} (other keys are ignored: the caller checked them). */
  static QueueFilter of(Map<String, String> q) {
    QueueFilter f =
        new QueueFilter(
            name("channel", q.get("channel")),
            name("property", q.get("property")),
            q.get("reason"),
            q.get("since"),
            q.get("until"),
            q.get("age"),
            q.getOrDefault("status", "open"));
    if (f.since != null && f.age != null) {
      throw UiException.badInput("since and age: give one of them, not both");
    }
    f.sinceInstant();
    f.untilInstant();
    f.ageDuration();
    f.state();
    return f;
  }

  /** The filter a form field {@code field} carries as a query string ({@link #query()}). */
  static QueueFilter carried(String field, @Nullable String raw) {
    return of(QueryParams.parse(field, raw, Set.copyOf(PARAMETERS)));
  }

  private static @Nullable String name(String parameter, @Nullable String value) {
    if (value != null && !NAME.matcher(value).matches()) {
      throw UiException.badInput(
          parameter
              + ": '"
              + (value.length() > 40 ? value.substring(0, 40) + "…" : value)
              + "' is not a "
              + parameter
              + " name (a letter or digit, then letters, digits, '.', '_' or '-'; at most 64)");
    }
    return value;
  }

  /** The state selected, or null for every state. */
  QueueItem.@Nullable State state() {
    try {
      return ItemFilter.parseState("status", status);
    } catch (AdminException e) {
      throw UiException.badInput(e.getMessage());
    }
  }

  /** Whether only open items are selected (bulk replay needs it). */
  boolean openOnly() {
    return "open".equals(status);
  }

  private @Nullable Instant sinceInstant() {
    if (since == null) {
      return null;
    }
    try {
      return since.length() == 10
          ? LocalDate.parse(since).atStartOfDay(ZoneOffset.UTC).toInstant()
          : Instant.parse(since);
    } catch (DateTimeParseException e) {
      throw UiException.badInput(
          "since: '"
              + since
              + "' is not a date (2026-03-01) nor an instant (2026-03-01T00:00:00Z)");
    }
  }

  private @Nullable Instant untilInstant() {
    if (until == null) {
      return null;
    }
    try {
      return until.length() == 10
          ? LocalDate.parse(until).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
          : Instant.parse(until);
    } catch (DateTimeParseException e) {
      throw UiException.badInput(
          "until: '"
              + until
              + "' is not a date (2026-03-01) nor an instant (2026-03-01T00:00:00Z)");
    }
  }

  private @Nullable Duration ageDuration() {
    if (age == null) {
      return null;
    }
    Matcher m = AGE.matcher(age);
    if (!m.matches()) {
      throw UiException.badInput(
          "age: '" + age + "' is not an age: a whole number and m, h or d (30m, 6h, 2d)");
    }
    long n = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2)) {
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
    if (d.isZero() || d.compareTo(MAX_AGE) > 0) {
      throw UiException.badInput("age: must be more than 0 and at most " + MAX_AGE.toDays() + "d");
    }
    return d;
  }

  /** What the admin code selects for this filter on {@code queue}, at {@code now}. */
  ItemFilter items(QueueItem.Queue queue, int limit, @Nullable String cursor, Instant now) {
    Duration a = ageDuration();
    Instant from = a == null ? sinceInstant() : now.minus(a);
    try {
      return new ItemFilter(
          channel, queue, state(), reason, property, from, untilInstant(), limit, cursor);
    } catch (AdminException e) {
      throw UiException.badInput(e.getMessage());
    }
  }

  /** The filter as a query string ({@code channel=a&reason=floor}); status only when not open. */
  String query() {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, String> e : values().entrySet()) {
      parts.add(e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    return String.join("&", parts);
  }

  /** {@code path} with this filter's query and then {@code more} (already encoded), if any. */
  String url(String path, @Nullable String more) {
    String q = query();
    if (more != null && !more.isEmpty()) {
      q = q.isEmpty() ? more : q + "&" + more;
    }
    return q.isEmpty() ? path : path + "?" + q;
  }

  /** The filter in words, such as {@code channel a, reason containing "floor"}; empty for none. */
  String describe() {
    List<String> parts = new ArrayList<>();
    if (channel != null) {
      parts.add("channel " + channel);
    }
    if (property != null) {
      parts.add("property " + property);
    }
    if (reason != null) {
      parts.add("reason containing \"" + reason + "\"");
    }
    if (since != null) {
      parts.add("entered since " + since);
    }
    if (until != null) {
      parts.add("entered until " + until);
    }
    if (age != null) {
      parts.add("entered within the last " + age);
    }
    return String.join(", ", parts);
  }

  private Map<String, String> values() {
    Map<String, String> v = new LinkedHashMap<>();
    put(v, "channel", channel);
    put(v, "property", property);
    put(v, "reason", reason);
    put(v, "since", since);
    put(v, "until", until);
    put(v, "age", age);
    if (!openOnly()) {
      v.put("status", status);
    }
    return v;
  }

  private static void put(Map<String, String> m, String k, @Nullable String v) {
    if (v != null) {
      m.put(k, v);
    }
  }
}
