package dev.paritysync.hotel.channel;

import dev.paritysync.core.auth.Secret;
import java.net.URI;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How paritysync authenticates to a channel. Secrets are {@link Secret}s, so {@code toString} never
 * shows them. Immutable.
 */
public sealed interface Credentials {

  /**
   * OAuth2 client credentials.
   *
   * @param tokenUrl the token endpoint, http or https
   * @param clientId the client id (not a secret)
   * @param clientSecret the client secret
   * @param scope the scope to request, or null for none
   */
  record OAuth2(URI tokenUrl, String clientId, Secret clientSecret, @Nullable String scope)
      implements Credentials {
    public OAuth2 {
      Objects.requireNonNull(tokenUrl, "tokenUrl");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(clientSecret, "clientSecret");
    }
  }

  /**
   * A static key sent in a request header.
   *
   * @param header the header name, e.g. {@code X-Api-Key}
   * @param value the key
   */
  record ApiKey(String header, Secret value) implements Credentials {
    public ApiKey {
      Objects.requireNonNull(header, "header");
      Objects.requireNonNull(value, "value");
    }
  }
}
