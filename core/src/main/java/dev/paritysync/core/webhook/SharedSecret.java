package dev.paritysync.core.webhook;

import dev.paritysync.core.auth.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Verifies webhooks that carry a shared secret as it is, in a header or a query parameter, as
 * several channel managers send it ({@code X-Webhook-Token: <secret>}, {@code ?token=<secret>}).
 * The body is not signed, so this proves only who sent the request, not that its body is intact,
 * and there is no timestamp: prefer {@link StandardWebhooks} where the channel offers it.
 *
 * <p>Verified when the value equals any configured secret (several during rotation), compared in
 * constant time (both sides are hashed first, so not even the length leaks). A header is matched
 * without regard to case, a query parameter exactly; the value is taken as it is (a header's is
 * trimmed). By default there is no webhook id; {@link Builder#withIdHeader} names a header that
 * carries one, which is then required.
 *
 * <p>Build with {@link #inHeader} or {@link #inQuery}. Immutable and thread-safe.
 */
public final class SharedSecret implements WebhookVerifier {
  private final String name;
  private final boolean query;
  private final List<byte[]> secrets;
  private final @Nullable String idHeader;

  private SharedSecret(Builder b) {
    this.name = b.name;
    this.query = b.query;
    this.secrets = List.copyOf(b.secrets);
    this.idHeader = b.idHeader;
  }

  /** A builder for a secret sent in header {@code name}. */
  public static Builder inHeader(String name) {
    return new Builder(StripeSignature.requireName(name, "header"), false);
  }

  /** A builder for a secret sent in query parameter {@code name}. */
  public static Builder inQuery(String name) {
    return new Builder(StripeSignature.requireName(name, "query"), true);
  }

  @Override
  public Verification verify(WebhookRequest request) {
    Objects.requireNonNull(request, "request");
    String id = null;
    if (idHeader != null) {
      id = request.header(idHeader).orElse("");
      if (id.isEmpty()) {
        return Verification.failed(Verification.Failure.MISSING, idHeader + " is missing");
      }
      String badId = Signatures.checkId(id, idHeader);
      if (badId != null) {
        return Verification.failed(Verification.Failure.MALFORMED, badId);
      }
    }
    Optional<String> value = query ? request.queryParameter(name) : request.header(name);
    String where = (query ? "query parameter " : "header ") + name;
    if (value.isEmpty() || value.get().isEmpty()) {
      return Verification.failed(Verification.Failure.MISSING, where + " is missing");
    }
    byte[] presented = value.get().getBytes(StandardCharsets.UTF_8);
    boolean match = false;
    for (byte[] secret : secrets) {
      match |= Signatures.constantTimeEquals(secret, presented);
    }
    return match
        ? Verification.verified(id)
        : Verification.failed(
            Verification.Failure.MISMATCH,
            where + " matches none of the " + secrets.size() + " configured secret(s)");
  }

  @Override
  public String toString() {
    return "SharedSecret["
        + (query ? "query " : "header ")
        + name
        + ", "
        + secrets.size()
        + " secret(s)"
        + (idHeader == null ? "" : ", id from " + idHeader)
        + "]";
  }

  /** Builds a {@link SharedSecret}. Not thread-safe; {@link #build()} copies the settings. */
  public static final class Builder {
    private final String name;
    private final boolean query;
    private final List<byte[]> secrets = new ArrayList<>();
    private @Nullable String idHeader;

    private Builder(String name, boolean query) {
      this.name = name;
      this.query = query;
    }

    /** Adds a secret; call again for each secret in a rotation — any of them verifies. */
    public Builder withSecret(Secret secret) {
      secrets.add(
          Objects.requireNonNull(secret, "secret").reveal().getBytes(StandardCharsets.UTF_8));
      return this;
    }

    /** Adds each of {@code secrets}, in order. */
    public Builder withSecrets(List<Secret> secrets) {
      secrets.forEach(this::withSecret);
      return this;
    }

    /** A header that carries the webhook's id (then required); default none. */
    public Builder withIdHeader(String idHeader) {
      this.idHeader = StripeSignature.requireName(idHeader, "idHeader");
      return this;
    }

    /**
     * The verifier.
     *
     * @throws IllegalStateException when no secret was added
     */
    public SharedSecret build() {
      if (secrets.isEmpty()) {
        throw new IllegalStateException("SharedSecret needs at least one secret");
      }
      return new SharedSecret(this);
    }
  }
}
