package dev.paritysync.hotel.adapter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.core.classify.FieldError;
import dev.paritysync.hotel.ari.Cell;
import dev.paritysync.hotel.batch.CellRange;
import dev.paritysync.hotel.channel.ChannelMapping;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the JSON adapters share: code mapping per range, encoding, reading range indexes. */
final class JsonAdapters {
  static final ObjectMapper JSON = new ObjectMapper();

  private JsonAdapters() {}

  /**
   * The channel codes of {@code range}'s room type and rate plan.
   *
   * @throws IllegalArgumentException when the mapping has none
   */
  static ChannelMapping.Codes codes(ChannelMapping mapping, CellRange range) {
    Cell first =
        new Cell(
            range.property(), range.roomType(), range.ratePlan(), range.from(), range.values());
    return mapping
        .map(first)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no channel code for room type "
                        + range.roomType()
                        + (range.ratePlan() == null ? "" : ", rate plan " + range.ratePlan())));
  }

  /** {@code node} as JSON bytes. */
  static byte[] bytes(Object node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode ARI updates", e);
    }
  }

  /**
   * The range indexes named by the paths of {@code errors} that match {@code path} (group 1 is the
   * index); empty when a path names an index this client could never have written.
   */
  static Set<Integer> rangesOf(List<FieldError> errors, Pattern path) {
    Set<Integer> out = new TreeSet<>();
    for (FieldError e : errors) {
      Matcher m = path.matcher(e.path());
      if (m.matches()) {
        try {
          out.add(Integer.parseInt(m.group(1)));
        } catch (NumberFormatException tooBig) {
          return Set.of(); // trust none of them
        }
      }
    }
    return out;
  }
}
