package dev.paritysync.core.http;

import java.util.Locale;
import java.util.Set;

/** Which header names carry secrets; their values are never logged or stored. */
public final class Redaction {
  private static final Set<String> SECRET_HEADERS =
      Set.of(
          "authorization",
          "proxy-authorization",
          "cookie",
          "set-cookie",
          "x-api-key",
          "api-key",
          "x-auth-token",
          "x-shared-secret",
          "webhook-signature",
          "stripe-signature",
          "x-signature");

  private Redaction() {}

  /** Whether values of header {@code name} are secrets. */
  public static boolean isSecretHeader(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return SECRET_HEADERS.contains(n)
        || n.contains("secret")
        || n.contains("token")
        || n.contains("signature")
        || n.endsWith("-key") && !n.equals("idempotency-key");
  }
}
