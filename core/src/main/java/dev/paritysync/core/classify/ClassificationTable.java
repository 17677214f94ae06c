package dev.paritysync.core.classify;

import dev.paritysync.core.config.ConfigMap;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * Maps every {@link Outcome} to exactly one {@link Action}, by a declarative table of rules. A rule
 * matches an exact status, a status range, an error code an adapter found in the body (optionally
 * only within a status range), or a {@link FailureKind}.
 *
 * <h2>Precedence</h2>
 *
 * <ol>
 *   <li>Error-code rules, when the outcome carries an error code and a rule matches it: a rule
 *       naming the code beats the wildcard {@code "*"} (any code); then a rule restricted to a
 *       narrower status range beats a wider one, and an unrestricted one comes last.
 *   <li>Status rules: an exact status beats a range, and a narrower range beats a wider one (an
 *       exact status is a range of width one).
 *   <li>Failure-kind rules, for transport failures (which have no status).
 * </ol>
 *
 * Among rules of equal specificity the one added later wins, so {@link #toBuilder()} and {@link
 * #fromConfig} override by adding rows.
 *
 * <h2>Defaults</h2>
 *
 * {@link #defaults()}: 2xx {@code ACK}; 408, 425, 500, 502, 504 {@code RETRY}; 429 and 503 {@code
 * RETRY_AFTER}; 400 and 422 {@code DEAD_LETTER(validation)}; 401 {@code REFRESH_AUTH}; 403 {@code
 * DEAD_LETTER(forbidden)}; 404 and 410 {@code DEAD_LETTER(mapping)}; 409 {@code RECONCILE}; other
 * 4xx {@code DEAD_LETTER(client_error)}; other 5xx {@code RETRY}; 1xx and 3xx {@code
 * DEAD_LETTER(unexpected_status)}; connect refused, connection reset, timeout and other I/O {@code
 * RETRY}; TLS {@code DEAD_LETTER(tls)}; response too large {@code DEAD_LETTER(response_too_large)}.
 *
 * <p>An error code in a 2xx response that no rule names is {@code DEAD_LETTER(channel_error)} (the
 * default row {@code errorCode * in 200-299}): XML and SOAP APIs report errors inside a 200, and an
 * error we do not know must never be acknowledged silently. Add a row for a code to route it
 * otherwise. An error code in a non-2xx response that no rule names falls through to the status
 * rules.
 *
 * <h2>Totality</h2>
 *
 * {@link Builder#build()} refuses a table that leaves any status 100-599 or any {@link FailureKind}
 * without a rule, so {@link #classify} always has exactly one answer. Start from {@link
 * #defaults()} (via {@link #toBuilder()}) to override a few rows.
 *
 * <p>Immutable and thread-safe.
 */
public final class ClassificationTable {
  /** The wildcard error code: matches any error code. */
  public static final String ANY_CODE = "*";

  private final List<Rule> rules;
  private final Action[] byStatus = new Action[600];
  private final Map<FailureKind, Action> byFailure = new EnumMap<>(FailureKind.class);
  private final List<Rule> codeRules;

  private ClassificationTable(List<Rule> rules) {
    this.rules = List.copyOf(rules);
    int[] width = new int[600];
    int[] order = new int[600];
    List<Rule> codes = new ArrayList<>();
    for (int i = 0; i < this.rules.size(); i++) {
      Rule r = this.rules.get(i);
      if (r.failure() != null) {
        byFailure.put(r.failure(), r.action());
      } else if (r.errorCode() != null) {
        codes.add(r);
      } else {
        int w = r.statusTo() - r.statusFrom() + 1;
        for (int s = r.statusFrom(); s <= r.statusTo(); s++) {
          if (byStatus[s] == null || w < width[s] || (w == width[s] && i > order[s])) {
            byStatus[s] = r.action();
            width[s] = w;
            order[s] = i;
          }
        }
      }
    }
    this.codeRules = List.copyOf(codes);
    StringJoiner missing = new StringJoiner(", ");
    int s = 100;
    while (s <= 599) {
      if (byStatus[s] == null) {
        int from = s;
        while (s <= 599 && byStatus[s] == null) {
          s++;
        }
        missing.add(from == s - 1 ? "status " + from : "status " + from + "-" + (s - 1));
      } else {
        s++;
      }
    }
    for (FailureKind k : FailureKind.values()) {
      if (!byFailure.containsKey(k)) {
        missing.add("failure " + k);
      }
    }
    if (missing.length() > 0) {
      throw new IllegalArgumentException(
          "classification table has no rule for "
              + missing
              + "; every status 100-599 and every failure kind needs one (start from"
              + " ClassificationTable.defaults().toBuilder())");
    }
  }

  /** The default table, described in the class documentation. */
  public static ClassificationTable defaults() {
    return DefaultsHolder.DEFAULTS;
  }

  /** An empty builder; {@link Builder#build()} requires it to cover every status and failure. */
  public static Builder builder() {
    return new Builder(List.of());
  }

  /** A builder holding this table's rules; rows added to it override them. */
  public Builder toBuilder() {
    return new Builder(rules);
  }

  /** The one action for {@code outcome}, by the precedence in the class documentation. */
  public Action classify(Outcome outcome) {
    Objects.requireNonNull(outcome, "outcome");
    FailureKind failure = outcome.failure();
    if (failure != null) {
      // build() refuses a table without a rule for every failure kind
      return Objects.requireNonNull(byFailure.get(failure), failure.name());
    }
    String code = outcome.errorCode();
    if (code != null && !code.isBlank()) {
      Rule best = null;
      for (Rule r : codeRules) {
        if (r.matchesCode(code.trim(), outcome.status())
            && (best == null || r.codeSpecificity() <= best.codeSpecificity())) {
          best = r;
        }
      }
      if (best != null) {
        return best.action();
      }
    }
    return byStatus[outcome.status()];
  }

  /** Every rule, in the order added (later rows override earlier ones of equal specificity). */
  public List<Rule> rules() {
    return rules;
  }

  @Override
  public String toString() {
    StringJoiner j = new StringJoiner("\n");
    rules.forEach(r -> j.add(r.toString()));
    return j.toString();
  }

  /**
   * Overrides from configuration rows, applied over {@code base}. Each row is a mapping with
   * exactly one of {@code status} (an int such as {@code 429}, a range {@code "500-599"} or a class
   * {@code "4xx"}), {@code errorCode} (a string, or {@code "*"} for any code; may be combined with
   * {@code status} to restrict it) or {@code failure} (a {@link FailureKind} name,
   * case-insensitive), plus {@code action} in {@link Action#parse} syntax, e.g. {@code
   * "DEAD_LETTER(validation)"}. The rows come from {@link ConfigMap#maps} ({@code
   * resilience.classification}), so every error names its row's key path.
   *
   * @throws IllegalArgumentException {@code <key>[i].<field>: <problem>}, e.g. {@code
   *     channels.ota.resilience.classification[1].status: '6xx' is not a status (429), a range
   *     (500-599) or a class (4xx)}
   */
  public static ClassificationTable fromConfig(List<ConfigMap> rows, ClassificationTable base) {
    Objects.requireNonNull(rows, "rows");
    Builder b = Objects.requireNonNull(base, "base").toBuilder();
    for (ConfigMap row : rows) {
      ConfigRows.apply(b, row);
    }
    return b.build();
  }

  /**
   * One row of the table. Exactly one of three shapes: a status rule ({@code statusFrom..statusTo},
   * no code, no failure), an error-code rule ({@code errorCode}, optionally restricted to {@code
   * statusFrom..statusTo}; both 0 when unrestricted) or a failure rule ({@code failure}, statuses
   * 0).
   *
   * @param errorCode the error code, {@code "*"} for any, or null
   * @param statusFrom the first status matched (inclusive), or 0
   * @param statusTo the last status matched (inclusive), or 0
   * @param failure the failure kind matched, or null
   * @param action the action
   */
  public record Rule(
      @Nullable String errorCode,
      int statusFrom,
      int statusTo,
      @Nullable FailureKind failure,
      Action action) {

    public Rule {
      Objects.requireNonNull(action, "action");
      if (failure != null) {
        if (errorCode != null || statusFrom != 0 || statusTo != 0) {
          throw new IllegalArgumentException("a failure rule matches nothing else: " + failure);
        }
      } else {
        boolean unrestricted = statusFrom == 0 && statusTo == 0;
        if (errorCode == null && unrestricted) {
          throw new IllegalArgumentException("a rule needs a status, an error code or a failure");
        }
        if (errorCode != null && errorCode.isBlank()) {
          throw new IllegalArgumentException("error code is blank");
        }
        if (!unrestricted && (statusFrom < 100 || statusTo > 599 || statusFrom > statusTo)) {
          throw new IllegalArgumentException(
              "status range must lie within 100-599 with from <= to, was "
                  + statusFrom
                  + "-"
                  + statusTo);
        }
        if (errorCode != null) {
          errorCode = errorCode.trim();
        }
      }
    }

    boolean matchesCode(String code, int status) {
      return (ANY_CODE.equals(errorCode) || code.equals(errorCode))
          && (statusFrom == 0 || (status >= statusFrom && status <= statusTo));
    }

    /** Lower is more specific; ties go to the later rule (callers compare with {@code <=}). */
    int codeSpecificity() {
      int width = statusFrom == 0 ? 1000 : statusTo - statusFrom + 1;
      return (ANY_CODE.equals(errorCode) ? 10_000 : 0) + width;
    }

    @Override
    public String toString() {
      String match;
      if (failure != null) {
        match = "failure " + failure;
      } else if (errorCode != null) {
        match = "errorCode " + errorCode + (statusFrom == 0 ? "" : " in " + range());
      } else {
        match = "status " + range();
      }
      return match + " -> " + action;
    }

    private String range() {
      if (statusFrom == statusTo) {
        return Integer.toString(statusFrom);
      }
      if (statusFrom % 100 == 0 && statusTo == statusFrom + 99) {
        return statusFrom / 100 + "xx";
      }
      return statusFrom + "-" + statusTo;
    }
  }

  /**
   * Collects rules; {@link #build()} copies them, so a built table never changes. Not thread-safe.
   */
  public static final class Builder {
    private final List<Rule> rules;

    private Builder(List<Rule> rules) {
      this.rules = new ArrayList<>(rules);
    }

    /** Routes {@code status} to {@code action}. */
    public Builder onStatus(int status, Action action) {
      return add(new Rule(null, checkStatus(status), status, null, action));
    }

    /** Routes {@code from..to} (inclusive) to {@code action}. */
    public Builder onStatusRange(int from, int to, Action action) {
      return add(new Rule(null, checkStatus(from), checkStatus(to), null, action));
    }

    /** Routes responses whose body carries {@code code} ({@code "*"}: any code), any status. */
    public Builder onErrorCode(String code, Action action) {
      return add(new Rule(Objects.requireNonNull(code, "code"), 0, 0, null, action));
    }

    /** Routes responses whose body carries {@code code} and whose status is in the range. */
    public Builder onErrorCode(String code, int statusFrom, int statusTo, Action action) {
      return add(
          new Rule(
              Objects.requireNonNull(code, "code"),
              checkStatus(statusFrom),
              checkStatus(statusTo),
              null,
              action));
    }

    /** Routes a transport failure of {@code kind} to {@code action}. */
    public Builder onFailure(FailureKind kind, Action action) {
      return add(new Rule(null, 0, 0, Objects.requireNonNull(kind, "kind"), action));
    }

    /**
     * The table.
     *
     * @throws IllegalArgumentException naming the statuses and failure kinds no rule covers
     */
    public ClassificationTable build() {
      return new ClassificationTable(rules);
    }

    private Builder add(Rule rule) {
      rules.add(rule);
      return this;
    }

    private static int checkStatus(int status) {
      if (status < 100 || status > 599) {
        throw new IllegalArgumentException("HTTP status must be 100-599, was " + status);
      }
      return status;
    }
  }

  private static final class DefaultsHolder {
    static final ClassificationTable DEFAULTS = build();

    private static ClassificationTable build() {
      Action unexpected = Action.deadLetter("unexpected_status");
      Builder b =
          builder()
              .onStatusRange(100, 199, unexpected)
              .onStatusRange(200, 299, Action.ACK)
              .onStatusRange(300, 399, unexpected)
              .onStatusRange(400, 499, Action.deadLetter("client_error"))
              .onStatusRange(500, 599, Action.RETRY);
      for (int s : new int[] {408, 425, 500, 502, 504}) {
        b.onStatus(s, Action.RETRY);
      }
      b.onStatus(429, Action.RETRY_AFTER).onStatus(503, Action.RETRY_AFTER);
      b.onStatus(400, Action.deadLetter("validation"))
          .onStatus(422, Action.deadLetter("validation"))
          .onStatus(401, Action.REFRESH_AUTH)
          .onStatus(403, Action.deadLetter("forbidden"))
          .onStatus(404, Action.deadLetter("mapping"))
          .onStatus(410, Action.deadLetter("mapping"))
          .onStatus(409, Action.RECONCILE);
      for (FailureKind k :
          List.of(
              FailureKind.CONNECT_REFUSED,
              FailureKind.CONNECTION_RESET,
              FailureKind.TIMEOUT,
              FailureKind.OTHER_IO)) {
        b.onFailure(k, Action.RETRY);
      }
      b.onFailure(FailureKind.TLS, Action.deadLetter("tls"))
          .onFailure(FailureKind.RESPONSE_TOO_LARGE, Action.deadLetter("response_too_large"));
      b.onErrorCode(ANY_CODE, 200, 299, Action.deadLetter("channel_error"));
      return b.build();
    }
  }

  /** One configuration row onto a builder; hand-written because its shapes are the table's own. */
  private static final class ConfigRows {
    static void apply(Builder b, ConfigMap row) {
      row.allow("status", "errorCode", "failure", "action");
      String actionText = row.text("action");
      Action action;
      try {
        action = Action.parse(actionText);
      } catch (IllegalArgumentException e) {
        throw row.error("action", String.valueOf(e.getMessage()));
      }
      boolean hasStatus = row.has("status");
      boolean hasCode = row.has("errorCode");
      boolean hasFailure = row.has("failure");
      if (hasFailure && (hasStatus || hasCode)) {
        throw row.error(
            "failure", "cannot be combined with " + (hasStatus ? "status" : "errorCode"));
      }
      if (!hasStatus && !hasCode && !hasFailure) {
        throw row.error("needs one of status, errorCode or failure");
      }
      FailureKind kind = row.enumValue("failure", FailureKind.class, null);
      if (kind != null) {
        b.onFailure(kind, action);
        return;
      }
      int @Nullable [] range = hasStatus ? status(row) : null;
      if (hasCode) {
        String code = row.text("errorCode");
        if (range == null) {
          b.onErrorCode(code, action);
        } else {
          b.onErrorCode(code, range[0], range[1], action);
        }
      } else if (range != null) {
        b.onStatusRange(range[0], range[1], action);
      }
    }

    private static int[] status(ConfigMap row) {
      Object value = row.raw("status");
      String text = String.valueOf(value).trim();
      int from;
      int to;
      try {
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
          from = to = ((Number) value).intValue();
        } else if (text.matches("[1-5][xX][xX]")) {
          from = (text.charAt(0) - '0') * 100;
          to = from + 99;
        } else if (text.matches("\\d{3}\\s*-\\s*\\d{3}")) {
          String[] parts = text.split("-");
          from = Integer.parseInt(parts[0].trim());
          to = Integer.parseInt(parts[1].trim());
        } else if (text.matches("\\d{3}")) {
          from = to = Integer.parseInt(text);
        } else {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw row.error(
            "status", "'" + text + "' is not a status (429), a range (500-599) or a class (4xx)");
      }
      if (from < 100 || to > 599 || from > to) {
        throw row.error("status", "'" + text + "' must lie within 100-599 with from <= to");
      }
      return new int[] {from, to};
    }
  }
}
