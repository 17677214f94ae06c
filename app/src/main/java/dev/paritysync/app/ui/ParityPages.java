package dev.paritysync.app.ui;

import dev.paritysync.app.admin.ParityDay;
import dev.paritysync.app.admin.ParityMap;
import dev.paritysync.hotel.ari.Property;
import dev.paritysync.hotel.ari.RatePlan;
import dev.paritysync.hotel.ari.RoomType;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The parity heat map ({@code /ui/parity}): per channel and property, the next {@link
 * ParityMap#DAYS} nights as squares, a row per month, each coloured, marked with a symbol and
 * labelled by the worst state of its cells ({@link ParityMap.State}); filtered by channel,
 * property, room type and rate plan in the URL. The map refreshes itself every {@link #REFRESH}
 * (htmx polling {@code /ui/parity/map}). A square opens its night ({@code
 * /ui/parity/{channel}/{property}/{date}}): each cell's truth, what the channel was last sent and
 * acknowledged, and its ledger. Read-only.
 */
final class ParityPages {
  /** How often the map refreshes itself. */
  static final String REFRESH = "5s";

  private static final Set<String> QUERY = Set.of("channel", "property", "roomType", "ratePlan");

  /**
   * The map's page and fragment.
   *
   * @param channels the channels shown
   * @param filter the filter's fields, with the choices
   * @param query the filter as a query string ({@code ?roomType=DBL}), or empty
   * @param legend every state, worst first
   * @param csrf the session's CSRF token
   */
  record MapView(
      List<ChannelView> channels,
      Filters filter,
      String query,
      List<ParityMap.State> legend,
      String csrf) {}

  /**
   * The filter's values and choices.
   *
   * @param channel the channel chosen, or empty for all
   * @param property the property chosen, or empty
   * @param roomType the room type chosen, or empty
   * @param ratePlan the rate plan chosen, or empty
   * @param channels the channels to choose from
   * @param properties the properties
   * @param roomTypes the room types of the portfolio
   * @param ratePlans the rate plans
   */
  record Filters(
      String channel,
      String property,
      String roomType,
      String ratePlan,
      List<String> channels,
      List<String> properties,
      List<String> roomTypes,
      List<String> ratePlans) {}

  /**
   * One channel's map.
   *
   * @param name the channel
   * @param properties one map per property
   */
  record ChannelView(String name, List<PropertyView> properties) {}

  /**
   * One property's nights on one channel.
   *
   * @param code the property
   * @param today its first night
   * @param months a row per month, each 31 slots (null where the month has no such day, or the
   *     night is outside the map)
   */
  record PropertyView(String code, String today, List<Month> months) {}

  /**
   * A month's row.
   *
   * @param label such as {@code Dec 2026}
   * @param days 31 slots, null where there is no night to show
   */
  record Month(String label, List<Slot> days) {}

  /**
   * One night.
   *
   * @param date {@code yyyy-MM-dd}
   * @param state the state's name, lower-case with dashes ({@code at-parity}), the CSS class
   * @param symbol its symbol
   * @param label the night's state in words, with its cells by state
   * @param href its page
   */
  record Slot(String date, String state, String symbol, String label, String href) {}

  /**
   * A night's page.
   *
   * @param channel the channel
   * @param property the property
   * @param date the night
   * @param cells its cells
   * @param back the map's URL
   * @param csrf the session's CSRF token
   */
  record DayView(
      String channel,
      String property,
      String date,
      List<ParityDay.Cell> cells,
      String back,
      String csrf) {}

  private final UiRoutes ui;
  private final ParityMap map;
  private final ParityDay day;

  ParityPages(UiRoutes ui, ParityMap map, ParityDay day) {
    this.ui = ui;
    this.map = map;
    this.day = day;
  }

  void page(Context ctx) {
    ui.page(ctx, 200, "parity.jte", UiRoutes.params("view", view(ctx)));
  }

  void fragment(Context ctx) {
    ui.page(ctx, 200, "paritymap.jte", UiRoutes.params("view", view(ctx)));
  }

  void night(Context ctx) {
    Sessions.Session s = UiRoutes.session(ctx);
    QueryParams.read(ctx, Set.of());
    String channel = ctx.pathParam("channel");
    if (!map.channels().contains(channel)) {
      throw UiException.notFound(
          "channel '" + shorten(channel) + "' is not configured; channels: " + map.channels());
    }
    String property = ctx.pathParam("property");
    Property p = property(property);
    LocalDate date;
    try {
      date = LocalDate.parse(ctx.pathParam("date"));
    } catch (DateTimeParseException e) {
      throw UiException.badInput(
          "date '" + shorten(ctx.pathParam("date")) + "' is not a date (yyyy-MM-dd)");
    }
    LocalDate today = map.today(p);
    if (date.isBefore(today) || !date.isBefore(today.plusDays(ParityMap.DAYS))) {
      throw UiException.badInput(
          "date "
              + date
              + " is outside the map: "
              + today
              + " to "
              + today.plusDays(ParityMap.DAYS - 1)
              + " in "
              + p.code()
              + "'s timezone");
    }
    ui.page(
        ctx,
        200,
        "parityday.jte",
        UiRoutes.params(
            "view",
            new DayView(
                channel,
                property,
                date.toString(),
                day.read(channel, property, date),
                UiRoutes.PREFIX + "/parity?channel=" + encode(channel),
                s.csrf())));
  }

  private MapView view(Context ctx) {
    Sessions.Session s = UiRoutes.session(ctx);
    Map<String, String> q = QueryParams.read(ctx, QUERY);
    List<Property> all = map.portfolio().properties();
    List<String> roomTypes =
        sorted(all.stream().flatMap(p -> p.roomTypes().stream()).map(RoomType::code));
    List<String> ratePlans =
        sorted(
            all.stream()
                .flatMap(p -> p.roomTypes().stream())
                .flatMap(r -> r.ratePlans().stream())
                .map(RatePlan::code));
    String channel = choice(q, "channel", map.channels());
    String property = choice(q, "property", all.stream().map(Property::code).toList());
    String roomType = choice(q, "roomType", roomTypes);
    String ratePlan = choice(q, "ratePlan", ratePlans);
    List<String> channels = channel.isEmpty() ? map.channels() : List.of(channel);
    List<ParityMap.ChannelMap> read =
        map.read(
            channels,
            new ParityMap.Filter(
                roomType.isEmpty() ? null : roomType, ratePlan.isEmpty() ? null : ratePlan));
    List<ChannelView> out = new ArrayList<>();
    for (ParityMap.ChannelMap c : read) {
      List<PropertyView> props = new ArrayList<>();
      for (ParityMap.Row r : c.rows()) {
        if (property.isEmpty() || property.equals(r.property())) {
          props.add(new PropertyView(r.property(), r.today().toString(), months(c.channel(), r)));
        }
      }
      out.add(new ChannelView(c.channel(), props));
    }
    String query =
        q.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> e.getKey() + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    return new MapView(
        out,
        new Filters(
            channel,
            property,
            roomType,
            ratePlan,
            map.channels(),
            all.stream().map(Property::code).toList(),
            roomTypes,
            ratePlans),
        query.isEmpty() ? "" : "?" + query,
        Arrays.asList(ParityMap.State.values()),
        s.csrf());
  }

  /** The property's nights as month rows of 31 slots. */
  private static List<Month> months(String channel, ParityMap.Row r) {
    List<Month> out = new ArrayList<>();
    Slot[] days = new Slot[31];
    LocalDate month = null;
    for (ParityMap.Square sq : r.squares()) {
      LocalDate d = sq.date();
      if (month == null || d.getMonthValue() != month.getMonthValue()) {
        if (month != null) {
          out.add(new Month(label(month), Arrays.asList(days)));
        }
        month = d;
        days = new Slot[31];
      }
      days[d.getDayOfMonth() - 1] = slot(channel, r.property(), sq);
    }
    if (month != null) {
      out.add(new Month(label(month), Arrays.asList(days)));
    }
    return out;
  }

  private static Slot slot(String channel, String property, ParityMap.Square sq) {
    StringBuilder label = new StringBuilder();
    label.append(sq.date()).append(": ").append(sq.state().word());
    String counts =
        sq.counts().entrySet().stream()
            .map(e -> e.getValue() + " " + e.getKey().word())
            .collect(Collectors.joining(", "));
    if (!counts.isEmpty() || sq.unmapped() > 0) {
      label.append(" (").append(counts);
      if (sq.unmapped() > 0) {
        label.append(counts.isEmpty() ? "" : ", ").append(sq.unmapped()).append(" not mapped");
      }
      label.append(")");
    }
    return new Slot(
        sq.date().toString(),
        cssName(sq.state()),
        sq.state().symbol(),
        label.toString(),
        UiRoutes.PREFIX + "/parity/" + encode(channel) + "/" + encode(property) + "/" + sq.date());
  }

  /** {@code at-parity}: a state's CSS class and data attribute. */
  static String cssName(ParityMap.State s) {
    return s.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String label(LocalDate month) {
    return month.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH) + " " + month.getYear();
  }

  /** The parameter's value when it is one of {@code allowed}; empty when absent. */
  private static String choice(Map<String, String> q, String name, List<String> allowed) {
    String v = q.getOrDefault(name, "");
    if (!v.isEmpty() && !allowed.contains(v)) {
      throw UiException.badInput(
          "parameter '" + name + "': '" + shorten(v) + "' is not one of " + allowed);
    }
    return v;
  }

  private Property property(String code) {
    return map.portfolio()
        .property(code)
        .orElseThrow(
            () ->
                UiException.notFound(
                    "property '"
                        + shorten(code)
                        + "' is not in the portfolio; properties: "
                        + map.portfolio().properties().stream().map(Property::code).toList()));
  }

  private static List<String> sorted(java.util.stream.Stream<String> codes) {
    return List.copyOf(codes.collect(Collectors.toCollection(TreeSet::new)));
  }

  private static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
