package dev.paritysync.royalty.parse;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/** Opens report bytes as text: gzip is detected by its magic bytes, never by the file name. */
final class Inputs {
  private static final int BUFFER = 1 << 16;

  private Inputs() {}

  static BufferedReader reader(InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    InputStream data = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(in, BUFFER) : in;
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(data, StandardCharsets.UTF_8), BUFFER);
    reader.mark(1);
    if (reader.read() != '\uFEFF') {
      reader.reset();
    }
    return reader;
  }
}
