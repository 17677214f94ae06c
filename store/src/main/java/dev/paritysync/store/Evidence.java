package dev.paritysync.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.paritysync.core.http.Headers;
import dev.paritysync.core.http.Redaction;
import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Response;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a request and response into evidence safe to store: secret headers and query parameters
 * redacted ({@link Redaction}), secret fields of JSON and form bodies redacted, bodies truncated.
 */
final class Evidence {
  static final String REDACTED = "[redacted]";

  private Evidence() {}

  static Map<String, Object> request(Request request, int maxBodyBytes) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("method", request.method());
    out.put("uri", Redaction.redactUri(request.uri()));
    out.put("headers", headers(request.headers()));
    body(out, request.body(), request.headers(), maxBodyBytes);
    return out;
  }

  static Map<String, Object> response(Response response, int maxBodyBytes) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", response.status());
    out.put("headers", headers(response.headers()));
    body(out, response.body(), response.headers(), maxBodyBytes);
    if (response.truncated()) {
      out.put("bodyTruncated", true);
    }
    out.put("latencyMillis", response.latency().toMillis());
    return out;
  }

  private static Map<String, Object> headers(Headers headers) {
    Map<String, Object> out = new LinkedHashMap<>();
    headers
        .asMap()
        .forEach(
            (name, values) ->
                out.put(name, Redaction.isSecretHeader(name) ? List.of(REDACTED) : values));
    return out;
  }

  private static void body(Map<String, Object> out, byte[] body, Headers headers, int max) {
    out.put("bodyBytes", body.length);
    if (body.length == 0) {
      out.put("body", "");
      return;
    }
    String text = redactBody(decode(body), headers.first("content-type").orElse(""));
    byte[] redacted = text.getBytes(StandardCharsets.UTF_8);
    if (redacted.length > max) {
      out.put("body", decodeLenient(redacted, max));
      out.put("bodyTruncated", true);
    } else {
      out.put("body", text);
    }
  }

  /** Secret fields redacted, when the body is JSON or a form; otherwise unchanged. */
  static String redactBody(String text, String contentType) {
    String type = contentType.toLowerCase(java.util.Locale.ROOT);
    String trimmed = text.strip();
    if (type.contains("json") || trimmed.startsWith("{") || trimmed.startsWith("[")) {
      try {
        JsonNode node = Json.MAPPER.readTree(text);
        if (node != null && !node.isMissingNode() && redactJson(node)) {
          return Json.MAPPER.writeValueAsString(node);
        }
        return text;
      } catch (Exception notJson) {
        return text;
      }
    }
    if (type.contains("x-www-form-urlencoded")) {
      StringBuilder sb = new StringBuilder();
      for (String pair : text.split("&", -1)) {
        if (sb.length() > 0) {
          sb.append('&');
        }
        int eq = pair.indexOf('=');
        String name =
            eq < 0 ? pair : URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
        sb.append(
            eq >= 0 && Redaction.isSecretParameter(name)
                ? pair.substring(0, eq + 1) + REDACTED
                : pair);
      }
      return sb.toString();
    }
    return text;
  }

  // JSON field names are judged like header names (token, secret, signature, *-key), not like
  // query parameters: "code" is a secret in an OAuth query but a room type's code in a body.
  private static boolean redactJson(JsonNode node) {
    boolean changed = false;
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String name = field.getKey().replace('_', '-');
        if (Redaction.isSecretHeader(name) || name.equalsIgnoreCase("password")) {
          field.setValue(TextNode.valueOf(REDACTED));
          changed = true;
        } else {
          changed |= redactJson(field.getValue());
        }
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        changed |= redactJson(element);
      }
    }
    return changed;
  }

  private static String decode(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The longest valid UTF-8 prefix of the first {@code max} bytes. */
  private static String decodeLenient(byte[] bytes, int max) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    int end = max;
    // Do not cut a multi-byte character in two: back up to its first byte.
    while (end > 0 && end < bytes.length && (bytes[end] & 0xC0) == 0x80) {
      end--;
    }
    try {
      CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, 0, end));
      return chars.toString();
    } catch (CharacterCodingException e) {
      return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
  }
}
