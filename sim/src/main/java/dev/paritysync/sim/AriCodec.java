package dev.paritysync.sim;

import dev.paritysync.core.classify.FieldError;
import java.time.LocalDate;
import java.util.List;
import java.util.SortedMap;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link Dialect} encodes its ARI API: request bodies in, every response body out, errors in
 * the dialect's own shape. The engine knows the rules; a codec knows only the wire format, so an
 * XML dialect sits beside a JSON one. A dialect whose endpoints take different bodies has one codec
 * per endpoint.
 */
interface AriCodec {

  /** The media type of bodies this dialect writes. */
  String contentType();

  /** The media type of problem (error) bodies. */
  String problemContentType();

  /**
   * Decodes a POST body.
   *
   * @throws MalformedBody when it cannot be read as updates; its errors point at the culprits
   */
  List<AriUpdate> decode(byte[] body) throws MalformedBody;

  /**
   * The updates as the channel stores them; by default as decoded. A channel that keeps some values
   * at another level (Cloudbeds: availability per room) moves them here, after validation.
   */
  default List<AriUpdate> stored(List<AriUpdate> updates) {
    return updates;
  }

  /** Where a field error about {@code field} of update {@code index} points. */
  String pointer(int index, String field);

  /** Where a field error about the list of updates as a whole points. */
  String updatesPointer();

  /** The body of a successful write of {@code cells} cells. */
  byte[] applied(int cells);

  /**
   * The body of a successful write of {@code cells} cells sent under idempotency key {@code key}
   * (null when none); by default {@link #applied(int)}. OpenTravel echoes the key ({@code
   * EchoToken}) in its answer.
   */
  default byte[] applied(int cells, @Nullable String key) {
    return applied(cells);
  }

  /** The body of a read of {@code cells} of {@code property} from {@code from} to {@code to}. */
  byte[] cells(String property, LocalDate from, LocalDate to, SortedMap<CellKey, CellValue> cells);

  /** An RFC 9457-style problem: {@code type} is a short slug, {@code errors} may be empty. */
  byte[] problem(int status, String type, String title, List<FieldError> errors);

  /**
   * The HTTP status a write's problem of {@code status} (400, 409, 413, 422) is answered with; by
   * default the same. An OpenTravel channel answers business errors inside a 200.
   */
  default int problemStatus(int status) {
    return status;
  }

  /** A short error body, {@code {"error": code}}. */
  byte[] error(String code);

  /** The body could not be decoded; {@code errors} say where. */
  final class MalformedBody extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<FieldError> errors;

    MalformedBody(List<FieldError> errors) {
      super(errors.toString());
      this.errors = List.copyOf(errors);
    }

    List<FieldError> errors() {
      return errors;
    }
  }
}
