package dev.paritysync.app.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Fuzzes the NDJSON feed reader with arbitrary files, read in batches of three lines as {@code
 * paritysync run --feed} reads them (UTF-8, malformed bytes reported). For every file it never
 * throws but {@link UncheckedIOException} naming the line ({@code feed: cannot read line N}, for
 * bytes that are not UTF-8); each batch's lines follow the last one's; each change has the number
 * of a line of its batch; each error is {@code line N: path: message} with N in its batch.
 */
class FeedReaderFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void read(byte[] input) throws IOException {
    FeedReader reader =
        new FeedReader(
            new BufferedReader(
                new InputStreamReader(
                    new ByteArrayInputStream(input), StandardCharsets.UTF_8.newDecoder())),
            3);
    long last = 0;
    try (reader) {
      for (Optional<FeedReader.Batch> b = reader.next(); b.isPresent(); b = reader.next()) {
        FeedReader.Batch batch = b.get();
        assertThat(batch.firstLine()).as("first line").isEqualTo(last + 1);
        assertThat(batch.lastLine()).isBetween(batch.firstLine(), batch.firstLine() + 2);
        assertThat(batch.lines()).hasSameSizeAs(batch.changes());
        for (long line : batch.lines()) {
          assertThat(line).isBetween(batch.firstLine(), batch.lastLine());
        }
        for (String error : batch.errors()) {
          assertThat(error).as("error").matches("(?s)line [1-9][0-9]*: \\S.*: \\S.*");
          long line = Long.parseLong(error.substring(5, error.indexOf(':')));
          assertThat(line).as("line of %s", error).isBetween(batch.firstLine(), batch.lastLine());
        }
        last = batch.lastLine();
      }
    } catch (UncheckedIOException e) {
      assertThat(e.getMessage()).isEqualTo("feed: cannot read line " + (reader.lineNumber() + 1));
    }
  }
}
