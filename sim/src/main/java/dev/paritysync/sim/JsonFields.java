package dev.paritysync.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paritysync.core.classify.FieldError;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Reads typed fields of one JSON update for a JSON dialect, recording a field error for each field
 * of the wrong type (and returning null for it), so a body reports every bad field at once. Fields
 * are asked for by the simulator's names ({@code room}, {@code minLos}, …); the dialect says what
 * each is called on the wire and how an error points at it.
 */
final class JsonFields {
  private final JsonNode node;
  private final UnaryOperator<String> wireName;
  private final UnaryOperator<String> pointer;
  private final List<FieldError> errors;

  /**
   * @param node the update
   * @param wireName a field's name in the body
   * @param pointer where an error about a field points
   * @param errors where errors go
   */
  JsonFields(
      JsonNode node,
      UnaryOperator<String> wireName,
      UnaryOperator<String> pointer,
      List<FieldError> errors) {
    this.node = node;
    this.wireName = wireName;
    this.pointer = pointer;
    this.errors = errors;
  }

  private @Nullable JsonNode get(String field) {
    JsonNode v = node.get(wireName.apply(field));
    return v == null || v.isNull() ? null : v;
  }

  private <T> @Nullable T fail(String field, String detail) {
    errors.add(new FieldError(pointer.apply(field), detail));
    return null;
  }

  @Nullable String string(String field) {
    JsonNode v = get(field);
    if (v == null) {
      return null;
    }
    return v.isTextual() ? v.textValue() : fail(field, "expected a string");
  }

  @Nullable LocalDate date(String field) {
    JsonNode v = get(field);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      return fail(field, "expected a date as a string, yyyy-MM-dd");
    }
    try {
      return LocalDate.parse(v.textValue());
    } catch (DateTimeParseException e) {
      return fail(field, "'" + v.textValue() + "' is not a date (yyyy-MM-dd)");
    }
  }

  @Nullable BigDecimal decimal(String field) {
    JsonNode v = get(field);
    if (v == null) {
      return null;
    }
    if (v.isNumber()) {
      return v.decimalValue();
    }
    if (v.isTextual()) {
      try {
        return new BigDecimal(v.textValue());
      } catch (NumberFormatException e) {
        return fail(field, "'" + v.textValue() + "' is not a decimal");
      }
    }
    return fail(field, "expected a decimal as a string or number");
  }

  @Nullable Integer integer(String field) {
    JsonNode v = get(field);
    if (v == null) {
      return null;
    }
    return v.isInt() ? Integer.valueOf(v.intValue()) : fail(field, "expected an integer");
  }

  @Nullable Boolean bool(String field) {
    JsonNode v = get(field);
    if (v == null) {
      return null;
    }
    return v.isBoolean()
        ? Boolean.valueOf(v.booleanValue())
        : fail(field, "expected true or false");
  }
}
