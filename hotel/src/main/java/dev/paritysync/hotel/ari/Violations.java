package dev.paritysync.hotel.ari;

import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.ConstraintValidatorContext.ConstraintViolationBuilder;

/** Adds violations whose messages are built in Java and may quote user input. */
final class Violations {
  private Violations() {}

  /**
   * Adds a violation at {@code path} (dot-separated property names below the validated object;
   * empty for the object itself). The message is escaped, so user input quoted in it ({@code
   * ${...}}, {@code {...}}) reaches the reader verbatim instead of being interpolated.
   */
  static void add(ConstraintValidatorContext context, String path, String message) {
    context.disableDefaultConstraintViolation();
    ConstraintViolationBuilder builder =
        context.buildConstraintViolationWithTemplate(escape(message));
    if (path.isEmpty()) {
      builder.addConstraintViolation();
      return;
    }
    String[] names = path.split("\\.");
    ConstraintViolationBuilder.NodeBuilderCustomizableContext node =
        builder.addPropertyNode(names[0]);
    for (int i = 1; i < names.length; i++) {
      node = node.addPropertyNode(names[i]);
    }
    node.addConstraintViolation();
  }

  static String escape(String message) {
    StringBuilder sb = new StringBuilder(message.length() + 8);
    for (char c : message.toCharArray()) {
      if (c == '\\' || c == '{' || c == '}' || c == '$') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }
}
