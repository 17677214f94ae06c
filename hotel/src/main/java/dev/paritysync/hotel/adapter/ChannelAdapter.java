package dev.paritysync.hotel.adapter;

import dev.paritysync.core.classify.ClassificationTable;
import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Response;
import dev.paritysync.core.quota.QuotaLimit;
import dev.paritysync.hotel.ari.Cell;
import dev.paritysync.hotel.batch.CellRange;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Speaks one channel's ARI dialect: encodes a batch of ranges (PMS codes) into one or more HTTP
 * requests (channel codes), decodes the channel's responses into the core's {@link Outcome}, with
 * field errors when the channel reports them, and — where the channel can be read — reads what the
 * channel holds, for reconciliation.
 *
 * <p>The engine's unit of delivery is the batch: the ranges the batcher packed up to the channel's
 * limits (ranges, bytes, per-day-only) using {@link #estimateSize}. A dialect that must send a
 * batch as several messages (OpenTravel sends availability and rates as two message types; Channex
 * takes availability and restrictions on two endpoints; a size cap may split a large batch) returns
 * several {@link Part}s. The engine sends a batch's parts one after the other, in order, each
 * through the quota, breaker and retry machinery and each with its own idempotency key ({@link
 * #partKey}); the batch is acknowledged when its last part is. {@link #encode} must be
 * deterministic: a retry, or a resend after a crash, encodes the same ranges into the same parts.
 *
 * <p>The engine adds the idempotency key, correlation id and trace context; an adapter adds only
 * what its dialect needs.
 *
 * <p>Implementations are immutable and thread-safe. Every adapter passes the adapter test kit
 * ({@code AdapterContract} in the hotel module's tests; see {@code docs/channels.md}).
 */
public interface ChannelAdapter {

  /** The quota endpoint of a part that does not name one. */
  String DEFAULT_ENDPOINT = "ari";

  /** The quota endpoint of a {@link Reader}'s requests, whatever the dialect. */
  String READ_ENDPOINT = "read";

  /**
   * The requests that write {@code ranges}, all of {@code property}, to the channel: at least one,
   * every range carried by at least one part. The engine sends part {@code i} of {@code n} with the
   * idempotency key {@link #partKey partKey(batchKey, i, n)} as its {@code Idempotency-Key} header;
   * a dialect that carries the key in the body (OpenTravel's {@code EchoToken}) puts the same key
   * there.
   *
   * @param batchKey the batch's idempotency key, the same on every retry and resend
   * @throws IllegalArgumentException when a range's room type or rate plan has no channel code
   */
  List<Part> encode(String batchKey, String property, List<CellRange> ranges);

  /**
   * The idempotency key of part {@code index} of a batch encoded into {@code parts} requests: the
   * batch's key when it is one request, {@code <batchKey>.<index>} otherwise.
   */
  static String partKey(String batchKey, int index, int parts) {
    Objects.requireNonNull(batchKey, "batchKey");
    if (index < 0 || index >= parts) {
      throw new IllegalArgumentException("part " + index + " of " + parts);
    }
    return parts == 1 ? batchKey : batchKey + "." + index;
  }

  /** The bytes {@code range} adds to an encoded request, for filling requests up to limits. */
  long estimateSize(CellRange range);

  /** The classified outcome of {@code response}, with the channel's field errors, if any. */
  Outcome decode(Response response);

  /**
   * The indexes, in the {@linkplain Part#ranges() ranges of the part} whose response carried {@code
   * errors}, of the ranges the errors point at. Empty when the errors point at no range, or the
   * dialect cannot tell; then the whole part is treated as rejected. The default cannot tell.
   */
  default Set<Integer> rangesOf(List<FieldError> errors) {
    return Set.of();
  }

  /**
   * The quota endpoints this dialect's parts count against ({@link Part#endpoint()}); a channel's
   * configured quotas may name only these and {@value #READ_ENDPOINT}. The default is {@value
   * #DEFAULT_ENDPOINT} alone.
   */
  default Set<String> endpoints() {
    return Set.of(DEFAULT_ENDPOINT);
  }

  /**
   * The request quotas this dialect's channel documents, per quota endpoint (as named by {@link
   * Part#endpoint()}), applied per property when the channel's configuration sets none. The default
   * is none: only configured quotas apply.
   */
  default Map<String, List<QuotaLimit>> defaultQuotas() {
    return Map.of();
  }

  /**
   * The classification table this dialect's outcomes start from; the engine adds the channel's
   * configured {@code resilience.classification} rows on top. The default is {@link
   * ClassificationTable#defaults()}; a dialect that reports errors inside a 200 with its own codes
   * (OpenTravel) adds rows that route them.
   */
  default ClassificationTable classification() {
    return ClassificationTable.defaults();
  }

  /** How to read what the channel holds, or empty when the channel cannot be read. */
  default Optional<Reader> reader() {
    return Optional.empty();
  }

  /**
   * One request of a batch.
   *
   * @param request the request
   * @param ranges the indexes, into the batch's list of ranges, of the ranges this request carries,
   *     in the order the request lists them (what {@link #rangesOf} indexes into)
   * @param endpoint the quota endpoint the request counts against (default {@value
   *     #DEFAULT_ENDPOINT})
   */
  record Part(Request request, List<Integer> ranges, String endpoint) {
    public Part {
      Objects.requireNonNull(request, "request");
      ranges = List.copyOf(ranges);
      Objects.requireNonNull(endpoint, "endpoint");
    }

    /** The one request that carries all {@code rangeCount} ranges of a batch, in order. */
    public static Part whole(Request request, int rangeCount) {
      return new Part(request, IntStream.range(0, rangeCount).boxed().toList(), DEFAULT_ENDPOINT);
    }

    /** A one-element list: {@link #whole}. */
    static List<Part> single(Request request, int rangeCount) {
      return List.of(whole(request, rangeCount));
    }
  }

  /**
   * Reads a channel's current ARI for a property and date range, in PMS codes.
   *
   * <p>Implementations are immutable and thread-safe.
   */
  interface Reader {
    /**
     * The requests that read {@code property}'s cells from {@code from} to {@code to}, inclusive:
     * one or more (a dialect may keep availability and rates behind different endpoints).
     */
    List<Request> requests(String property, LocalDate from, LocalDate to);

    /**
     * What the channel holds, from the successful responses to {@link #requests}, in the same
     * order: cells in PMS codes (translated back through the channel's mapping), one per room type
     * (and rate plan) and date the channel holds a value for, and the channel codes the mapping
     * does not know.
     *
     * @throws IllegalArgumentException when a body is not what the dialect returns, with the reason
     */
    Snapshot snapshot(String property, List<Response> responses);
  }

  /**
   * What a channel holds for one property.
   *
   * @param cells the cells it holds, in PMS codes
   * @param unmapped the channel's room or rate codes the mapping does not translate, as {@code
   *     room} or {@code room/ratePlan}, sorted, without duplicates
   */
  record Snapshot(List<Cell> cells, List<String> unmapped) {
    public Snapshot {
      cells = List.copyOf(cells);
      unmapped = List.copyOf(unmapped);
    }
  }
}
