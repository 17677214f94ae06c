package dev.paritysync.app.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paritysync.app.feed.ChangeJson;
import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.json.StrictJson;
import dev.paritysync.hotel.ari.Change;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads the body of {@code POST /v1/changes} within {@link ApiLimits}, before any transaction: JSON
 * within depth and number length, no key twice, the changes' fields, then cells per change and per
 * request and the maximum rate. Every failure is a {@link ProblemException} naming the culprit's
 * path, the limit and its key. Immutable and thread-safe.
 */
final class ChangesBody {
  private final StrictJson json;
  private final ApiLimits limits;

  ChangesBody(ApiLimits limits) {
    this.limits = limits;
    this.json = new StrictJson(limits.maxJsonDepth(), limits.maxNumberLength());
  }

  /**
   * The changes of {@code body}.
   *
   * @throws ProblemException 400 when it is not JSON within the limits or not well-formed changes
   */
  List<Change> parse(byte[] body) {
    JsonNode root;
    try {
      root = json.read(body);
    } catch (StrictJson.Malformed e) {
      String path = path(e.pointer());
      throw new ProblemException(
          400,
          "Malformed JSON",
          "the body is not JSON within limits at "
              + path
              + " (line "
              + e.line()
              + ", column "
              + e.column()
              + "): "
              + e.reason(),
          List.of(new FieldError(path, e.reason())));
    }
    ErrorList errors = new ErrorList(limits.maxErrors());
    if (root == null || !root.isObject()) {
      throw bad(List.of(new FieldError("$", "expected an object {\"changes\": [...]}")), 1);
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!k.equals("changes")) {
        errors.add(new FieldError(ChangeJson.keyPath("", k), "unknown key (known: changes)"));
      }
    }
    JsonNode list = root.get("changes");
    if (list == null || !list.isArray()) {
      errors.add(new FieldError("changes", "expected an array of changes"));
      throw bad(errors, errors.total());
    }
    if (list.isEmpty()) {
      errors.add(new FieldError("changes", "is empty; send at least one change"));
    }
    List<Change> changes = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Change c =
          ChangeJson.parse(list.get(i), "changes[" + i + "].", errors, limits.maxNumberLength());
      if (c != null) {
        changes.add(c);
      }
    }
    if (errors.total() > 0) {
      throw bad(errors, errors.total());
    }
    return changes;
  }

  /**
   * Checks the cells each change and the whole request set, and every rate against the maximum,
   * with arithmetic on the dates alone (no cell is built).
   *
   * @throws ProblemException 422 naming each change over a limit, and the request's total
   */
  void checkBounds(List<Change> changes) {
    ErrorList errors = new ErrorList(limits.maxErrors());
    long total = 0;
    for (int i = 0; i < changes.size(); i++) {
      Change c = changes.get(i);
      long cells = cells(c);
      total += cells;
      if (cells > limits.maxCellsPerChange()) {
        errors.add(
            new FieldError(
                "changes[" + i + "]",
                "sets "
                    + cells
                    + " cells ("
                    + nights(c)
                    + " nights from "
                    + c.from()
                    + " to "
                    + c.to()
                    + "); at most "
                    + limits.maxCellsPerChange()
                    + " per change (server.maxCellsPerChange)"));
      }
      if (c.rate() != null
          && c.rate().amount() != null
          && c.rate().amount().compareTo(limits.maxRate()) > 0) {
        errors.add(
            new FieldError(
                "changes[" + i + "].rate.amount",
                "is above "
                    + limits.maxRate().toPlainString()
                    + ", the largest rate accepted (server.maxRate)"));
      }
    }
    if (total > limits.maxCellsPerRequest()) {
      errors.add(
          new FieldError(
              "changes",
              "set "
                  + total
                  + " cells; at most "
                  + limits.maxCellsPerRequest()
                  + " per request (server.maxCellsPerRequest): send them in several requests"));
    }
    if (errors.total() > 0) {
      throw new ProblemException(
          422,
          "Changes over limits",
          errors.total() + " limit(s) exceeded; nothing was accepted",
          errors,
          errors.total());
    }
  }

  /** The nights of {@code c}, 0 when its dates are out of order (the validator says so). */
  private static long nights(Change c) {
    return Math.max(0, ChronoUnit.DAYS.between(c.from(), c.to()) + 1);
  }

  /** The cells {@code c} sets: per night, one of its room (availability), one of its rate plan. */
  static long cells(Change c) {
    boolean plan =
        c.ratePlan() != null
            && (c.rate() != null || (c.restrictions() != null && !c.restrictions().isEmpty()));
    int perNight = (c.availability() != null ? 1 : 0) + (plan ? 1 : 0);
    return nights(c) * perNight;
  }

  /**
   * {@code /changes/3/rate/amount} as the API's field paths write it: {@code changes[3].rate…}; an
   * empty key as {@code ""}, the root as {@code $}.
   */
  static String path(String pointer) {
    if (pointer.isEmpty()) {
      return "$";
    }
    StringBuilder sb = new StringBuilder();
    for (String segment : pointer.substring(1).split("/", -1)) {
      String name = segment.replace("~1", "/").replace("~0", "~");
      if (!name.isEmpty() && name.chars().allMatch(Character::isDigit) && sb.length() > 0) {
        sb.append('[').append(name).append(']');
      } else {
        // an empty key is written "" so that the path still names it
        sb.append(sb.length() > 0 ? "." : "").append(name.isEmpty() ? "\"\"" : name);
      }
    }
    return sb.toString();
  }

  private static ProblemException bad(List<FieldError> errors, int total) {
    return new ProblemException(
        400,
        "Malformed changes",
        total + " error(s) in the request body; nothing was accepted",
        errors,
        total);
  }
}
