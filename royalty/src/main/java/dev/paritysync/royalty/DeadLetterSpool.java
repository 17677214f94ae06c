package dev.paritysync.royalty;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Dead letters of a run held in a temporary file until the run's rows are in the lake, so a report
 * that fails half-way (strict mode) leaves no dead letters behind and memory stays flat. Not
 * thread-safe.
 */
final class DeadLetterSpool implements Consumer<DeadLetterRow>, AutoCloseable {
  private static final Field[] FIELDS = Field.values();
  private final Path file;
  private final DataOutputStream out;
  private long count;

  DeadLetterSpool(Path dir) {
    try {
      Files.createDirectories(dir);
      this.file = Files.createTempFile(dir, "dead-letters-", ".bin");
      this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a dead-letter spool in " + dir, e);
    }
  }

  @Override
  public void accept(DeadLetterRow row) {
    try {
      out.writeUTF(row.source());
      writeLong(row.report());
      out.writeLong(row.rowNumber());
      out.writeUTF(row.field());
      writeLong(row.reason());
      writeLong(row.excerpt());
      out.writeInt(row.values().size());
      for (Map.Entry<Field, String> v : row.values().entrySet()) {
        out.writeByte(v.getKey().ordinal());
        writeLong(v.getValue() == null ? "" : v.getValue());
      }
      count++;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot spool dead letter " + row.rowNumber(), e);
    }
  }

  long count() {
    return count;
  }

  /** Hands every spooled row, in order, to {@code sink}. */
  void replay(Consumer<DeadLetterRow> sink) {
    try {
      out.flush();
      try (DataInputStream in =
          new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
        for (long i = 0; i < count; i++) {
          String source = in.readUTF();
          String report = readLong(in);
          long row = in.readLong();
          String field = in.readUTF();
          String reason = readLong(in);
          String excerpt = readLong(in);
          Map<Field, String> values = new EnumMap<>(Field.class);
          for (int v = in.readInt(); v > 0; v--) {
            values.put(FIELDS[in.readByte()], readLong(in));
          }
          sink.accept(new DeadLetterRow(source, report, row, field, reason, excerpt, values));
        }
      }
    } catch (EOFException e) {
      throw new IllegalStateException("dead-letter spool " + file + " is truncated", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dead-letter spool " + file, e);
    }
  }

  // writeUTF is limited to 64 KB; reasons and excerpts are short, but a report name need not be
  private void writeLong(String s) throws IOException {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readLong(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new String(b, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Deletes the file. */
  @Override
  public void close() {
    try {
      out.close();
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete dead-letter spool " + file, e);
    }
  }
}
