package dev.paritysync.royalty.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The buffered tokenizer yields what the character-by-character one did (cells, lines, excerpts,
 * warnings), wherever its buffer ends.
 */
class CsvTokenizerTest {
  private static final String[] PIECES = {
    "plain",
    "",
    " spaced ",
    ",",
    "\"quoted, with comma\"",
    "\"doubled \"\" quote\"",
    "\"two\nlines\"",
    "\"cr\r\nlf\"",
    "in\"side",
    "\"closed\"after",
    "\n",
    "\r\n",
    "\r",
    "x".repeat(250),
    "ü日🎵"
  };

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void randomTextTokenizesAsTheCharacterByCharacterReferenceDoes(long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder text = new StringBuilder();
    while (text.length() < 300_000) {
      text.append(PIECES[random.nextInt(PIECES.length)]);
      if (random.nextInt(3) == 0) {
        text.append(random.nextBoolean() ? "\n" : ",");
      }
    }
    text.append("\n");
    assertSame(text.toString());
  }

  @Test
  void emptyAndOneLineInputs() throws IOException {
    assertSame("");
    assertSame("a,b");
    assertSame("a,b\r\n");
    assertSame("\n\n");
  }

  private static void assertSame(String text) throws IOException {
    List<String> expectedWarnings = new ArrayList<>();
    List<String> actualWarnings = new ArrayList<>();
    CharByCharCsvTokenizer reference =
        new CharByCharCsvTokenizer(
            new StringReader(text),
            new Defects("t.csv", Strictness.LENIENT, w -> expectedWarnings.add(w.toString())));
    CsvTokenizer tokenizer =
        new CsvTokenizer(
            new StringReader(text),
            new Defects("t.csv", Strictness.LENIENT, w -> actualWarnings.add(w.toString())));
    for (int i = 0; ; i++) {
      List<String> expected = reference.next();
      assertThat(tokenizer.next()).as("record %d", i).isEqualTo(expected);
      if (expected == null) {
        break;
      }
      assertThat(tokenizer.line()).as("line of record %d", i).isEqualTo(reference.line());
      assertThat(tokenizer.excerpt()).as("excerpt of record %d", i).isEqualTo(reference.excerpt());
    }
    assertThat(actualWarnings).isEqualTo(expectedWarnings);
  }
}
