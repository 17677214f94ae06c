package dev.paritysync.hotel.channel;

import java.util.regex.Pattern;

/** The secret references configuration may hold: {@code ${env:NAME}}, {@code ${file:/path}}. */
final class SecretReferences {
  static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
  static final Pattern FILE = Pattern.compile("\\$\\{file:(/[^}]*)}");

  private SecretReferences() {}
}
