package dev.paritysync.core.classify;

import java.util.Objects;

/** One field a channel or validator rejected: its path (e.g. {@code rates[2].amount}) and why. */
public record FieldError(String path, String message) {
  public FieldError {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return path + ": " + message;
  }
}
