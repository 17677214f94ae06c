package dev.paritysync.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.paritysync.core.classify.FieldError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The simulator's one JSON mapper, shared by every JSON dialect, the reservation feed and the
 * stats: exact decimals, no trailing tokens.
 */
final class SimJson {
  /** Reads decimals exactly and fails on trailing tokens. Thread-safe. */
  static final ObjectMapper JSON =
      JsonMapper.builder()
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private SimJson() {}

  /**
   * {@code body} read as a JSON object, the first check of every JSON dialect's decoder.
   *
   * @throws AriCodec.MalformedBody when it is not JSON, or not an object
   */
  static JsonNode object(byte[] body) throws AriCodec.MalformedBody {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new AriCodec.MalformedBody(
          List.of(new FieldError("", "malformed JSON: " + e.getOriginalMessage())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (root == null || root.isMissingNode() || !root.isObject()) {
      throw new AriCodec.MalformedBody(List.of(new FieldError("", "expected a JSON object")));
    }
    return root;
  }

  /** {@code node} as UTF-8 bytes. */
  static byte[] write(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
