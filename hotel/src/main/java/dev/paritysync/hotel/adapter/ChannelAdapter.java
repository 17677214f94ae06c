package dev.paritysync.hotel.adapter;

import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Response;
import dev.paritysync.hotel.batch.CellRange;
import java.util.List;
import java.util.Set;

/**
 * Speaks one channel's ARI dialect: encodes a batch of ranges (PMS codes) into one HTTP request
 * (channel codes), and decodes the channel's response into the core's {@link Outcome}, with field
 * errors when the channel reports them. The delivery engine adds the idempotency key, correlation
 * id and trace context; an adapter adds only what its dialect needs.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface ChannelAdapter {

  /**
   * The request that writes {@code ranges}, all of {@code property}, to the channel.
   *
   * @throws IllegalArgumentException when a range's room type or rate plan has no channel code
   */
  Request encode(String property, List<CellRange> ranges);

  /** The bytes {@code range} adds to an encoded request, for filling requests up to limits. */
  long estimateSize(CellRange range);

  /** The classified outcome of {@code response}, with the channel's field errors, if any. */
  Outcome decode(Response response);

  /**
   * The indexes, in the list given to {@link #encode}, of the ranges {@code errors} point at. Empty
   * when the errors point at no range, or the dialect cannot tell; then the whole request is
   * treated as rejected. The default cannot tell.
   */
  default Set<Integer> rangesOf(List<FieldError> errors) {
    return Set.of();
  }
}
