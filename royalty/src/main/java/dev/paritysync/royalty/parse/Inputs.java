package dev.paritysync.royalty.parse;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/** Opens report bytes as text: gzip is detected by its magic bytes, never by the file name. */
final class Inputs {
  private static final int BUFFER = 1 << 16;

  private Inputs() {}

  static Text reader(InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    boolean gzip = b0 == 0x1f && b1 == 0x8b;
    Cut cut = gzip ? new Cut(new GZIPInputStream(in, BUFFER)) : null;
    InputStream data = gzip ? cut : in;
    Watch watch = new Watch(new InputStreamReader(data, StandardCharsets.UTF_8), cut);
    Text reader = new Text(watch);
    reader.mark(1);
    if (reader.read() != '\uFEFF') {
      reader.reset();
    }
    return reader;
  }

  /**
   * Report text that knows how it ended: whether the last character was a line break, and whether a
   * gzip stream was cut off (read as the end of the text, so the rows before the cut are kept).
   */
  static final class Text extends BufferedReader {
    private final Watch watch;

    private Text(Watch watch) {
      super(watch, BUFFER);
      this.watch = watch;
    }

    /** True when the text ended with a line break (or was empty). */
    boolean endsWithLineBreak() {
      return watch.last < 0 || watch.last == '\n' || watch.last == '\r';
    }

    /** Why the compressed stream ended early, or null when it did not. */
    @Nullable String truncated() {
      return watch.cut == null ? null : watch.cut.truncated;
    }
  }

  /** Remembers the last character read. */
  private static final class Watch extends Reader {
    private final Reader in;
    private final @Nullable Cut cut;
    private int last = -1;

    Watch(Reader in, @Nullable Cut cut) {
      this.in = in;
      this.cut = cut;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        last = buffer[offset + n - 1];
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /**
   * Turns a cut-off gzip stream into an end of input, remembering why: caught here, below the
   * character decoder, so that the text decoded before the cut is not lost with the exception.
   */
  private static final class Cut extends FilterInputStream {
    private @Nullable String truncated;

    Cut(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (truncated != null) {
        return -1;
      }
      try {
        return in.read(buffer, offset, length);
      } catch (EOFException e) {
        truncated = "truncated gzip: " + e.getMessage();
        return -1;
      }
    }

    @Override
    public int available() throws IOException {
      return truncated != null ? 0 : in.available();
    }
  }
}
