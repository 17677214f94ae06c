package dev.paritysync.store;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One fact in the {@link Ledger}: something that happened, when, and to what. Immutable.
 *
 * @param id sortable id ({@link Ids})
 * @param at when it happened
 * @param kind what happened, such as {@code change.accepted}, {@code attempt}, {@code
 *     queue.entered}
 * @param correlationId links one PMS change to every batch and attempt it caused; may be null
 * @param channel the channel concerned; may be null
 * @param subject what it happened to (a cell, a batch, a queue item); may be null
 * @param attributes the details (status, latency, chosen delay, action ...), as JSON-able values;
 *     empty when none
 */
public record LedgerEntry(
    String id,
    Instant at,
    String kind,
    @Nullable String correlationId,
    @Nullable String channel,
    @Nullable String subject,
    Map<String, Object> attributes) {

  public LedgerEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(kind, "kind");
    attributes =
        attributes == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  /**
   * A builder for an entry with this id and instant; {@link Ledger#entry(String)} stamps both from
   * its clock. Not thread-safe.
   */
  public static Builder builder(String id, Instant at, String kind) {
    return new Builder(id, at, kind);
  }

  /** Builds a {@link LedgerEntry}. */
  public static final class Builder {
    private final String id;
    private final Instant at;
    private final String kind;
    private @Nullable String correlationId;
    private @Nullable String channel;
    private @Nullable String subject;
    private final Map<String, Object> attributes = new LinkedHashMap<>();

    private Builder(String id, Instant at, String kind) {
      this.id = Objects.requireNonNull(id, "id");
      this.at = Objects.requireNonNull(at, "at");
      this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Builder withCorrelationId(@Nullable String correlationId) {
      this.correlationId = correlationId;
      return this;
    }

    public Builder withChannel(String channel) {
      this.channel = channel;
      return this;
    }

    public Builder withSubject(String subject) {
      this.subject = subject;
      return this;
    }

    /** Adds one attribute; the value must be JSON-able (string, number, boolean, list, map). */
    public Builder withAttribute(String name, Object value) {
      attributes.put(Objects.requireNonNull(name, "attribute name"), value);
      return this;
    }

    public Builder withAttributes(Map<String, ?> values) {
      values.forEach(this::withAttribute);
      return this;
    }

    public LedgerEntry build() {
      return new LedgerEntry(id, at, kind, correlationId, channel, subject, attributes);
    }
  }
}
