package dev.paritysync.core.http;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Which header names and query parameters carry secrets; their values are never logged or stored.
 * Stateless and thread-safe.
 */
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

  /**
   * Whether values of query parameter {@code name} are secrets: every name {@link
   * #isSecretHeader(String)} flags, plus names containing {@code key}, {@code sig}, {@code pass},
   * {@code auth} or {@code code} ({@code api_key}, {@code sig}, {@code password}, {@code code}).
   */
  public static boolean isSecretParameter(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return isSecretHeader(n)
        || n.contains("key") && !n.startsWith("idempotency")
        || n.contains("sig")
        || n.contains("pass")
        || n.contains("auth")
        || n.contains("code");
  }

  /**
   * {@code uri} as text safe to log: user info dropped, values of secret query parameters ({@link
   * #isSecretParameter(String)}) replaced by {@code [redacted]}, fragment dropped.
   */
  public static String redactUri(URI uri) {
    StringBuilder sb = new StringBuilder();
    if (uri.getScheme() != null) {
      sb.append(uri.getScheme()).append("://");
    }
    if (uri.getHost() != null) {
      sb.append(uri.getHost());
      if (uri.getPort() >= 0) {
        sb.append(':').append(uri.getPort());
      }
    }
    sb.append(uri.getRawPath() == null ? "" : uri.getRawPath());
    String query = uri.getRawQuery();
    if (query != null && !query.isEmpty()) {
      sb.append('?');
      String[] pairs = query.split("&", -1);
      for (int i = 0; i < pairs.length; i++) {
        if (i > 0) {
          sb.append('&');
        }
        String pair = pairs[i];
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        if (eq >= 0 && isSecretParameter(name)) {
          sb.append(name).append("=[redacted]");
        } else {
          sb.append(pair);
        }
      }
    }
    return sb.toString();
  }
}
