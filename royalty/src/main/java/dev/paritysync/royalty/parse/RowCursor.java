package dev.paritysync.royalty.parse;

import dev.paritysync.royalty.RawRow;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * The rows of one report, read lazily: each {@link #next()} reads only as far into the input as the
 * next row needs. Not thread-safe. Reading may throw {@link ReportFormatException} (a defect in
 * strict mode) or {@link UncheckedIOException}. Close it to close the input.
 */
public interface RowCursor extends Iterator<RawRow>, Closeable {

  /**
   * The report's message id (DSR: the HEAD's MessageId), or null when the format has none or it has
   * not been read yet.
   */
  default @Nullable String messageId() {
    return null;
  }

  /**
   * Why the report is not complete, once every row has been read: {@code line N: defect} for the
   * first of a missing FOOT, a FOOT whose counts disagree with the file, a cut-off gzip stream or a
   * file that ends mid-line; null when it is complete (or has not been read to the end).
   */
  default @Nullable String incomplete() {
    return null;
  }

  /** The remaining rows as a sequential stream that closes this cursor when closed. */
  default Stream<RawRow> stream() {
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(
            () -> {
              try {
                close();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }
}
