package dev.paritysync.royalty.parse;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Splits text into records of cells, remembering where each record started. */
interface Tokenizer {

  /** The next record, or null at the end of the input. */
  @Nullable List<String> next() throws IOException;

  /** The 1-based line the last record returned by {@link #next()} started on. */
  long line();

  /** The start of the last record as written, for dead letters. */
  String excerpt();

  /** Tab-separated, no quoting: Apple's label sales reports. */
  static Tokenizer tabs(java.io.BufferedReader reader) {
    return new Tokenizer() {
      private long line;
      private @Nullable String text;

      @Override
      public @Nullable List<String> next() throws IOException {
        text = reader.readLine();
        if (text == null) {
          return null;
        }
        line++;
        return List.of(text.split("\t", -1));
      }

      @Override
      public long line() {
        return line;
      }

      @Override
      public String excerpt() {
        return Defects.excerpt(Objects.requireNonNull(text, "excerpt() before a record was read"));
      }
    };
  }
}
