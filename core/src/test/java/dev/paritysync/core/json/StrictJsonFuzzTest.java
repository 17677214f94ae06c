package dev.paritysync.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Comparator;

/**
 * Fuzzes {@link StrictJson#read} with arbitrary bytes, with the bounds of the ingest API's defaults
 * made small (depth 8, numbers of 24 characters) so the fuzzer reaches them. For every input it
 * returns a tree or throws {@link StrictJson.Malformed}, nothing else; a {@code Malformed} has a
 * JSON pointer ({@code ""} or starting with {@code /}), a line and column from 1, and a one-line
 * reason that names no Java type; a tree is within the depth bound and reads back equal from its
 * own serialisation.
 */
class StrictJsonFuzzTest {
  private static final int DEPTH = 8;
  private static final int NUMBER = 24;
  private static final ObjectMapper PLAIN = new ObjectMapper();

  private final StrictJson json = new StrictJson(DEPTH, NUMBER);

  @FuzzTest(maxDuration = "10s")
  void read(byte[] input) throws Exception {
    JsonNode tree;
    try {
      tree = json.read(input);
    } catch (StrictJson.Malformed e) {
      assertThat(e.pointer())
          .satisfiesAnyOf(p -> assertThat(p).isEmpty(), p -> assertThat(p).startsWith("/"));
      assertThat(e.line()).as("line of %s", e.getMessage()).isPositive();
      assertThat(e.column()).as("column of %s", e.getMessage()).isPositive();
      assertThat(e.reason()).as("reason").isNotBlank().doesNotContain("\n");
      // Quoted, a character of the input may be anything (a backtick too); the words around never
      // name a Java type.
      assertThat(e.reason().replaceAll("'[^']*'", "''"))
          .as("reason without its quotes")
          .doesNotContain("com.fasterxml", "java.", "`");
      assertThat(e.getMessage()).startsWith(e.pointer().isEmpty() ? "/" : e.pointer());
      return;
    }
    if (tree == null) {
      return; // only whitespace, in whichever encoding Jackson detected (UTF-32 too)
    }
    assertThat(depth(tree)).as("depth of %s", tree).isLessThanOrEqualTo(DEPTH);
    // Jackson may write a number a character longer than it read it (1e5 as 1E+5), and a decimal
    // without a fraction as an integer (1e00 as 1): numbers read back equal in value, not in type.
    byte[] again = PLAIN.writeValueAsBytes(tree);
    JsonNode back = new StrictJson(DEPTH, NUMBER + 8).read(again);
    assertThat(tree.equals(SAME_VALUE, back)).as("%s read back as %s", tree, back).isTrue();
  }

  /** Equal numbers by value (1 and 1.0E0 alike), everything else by {@code equals}. */
  private static final Comparator<JsonNode> SAME_VALUE =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
      };

  private static int depth(JsonNode n) {
    if (!n.isContainerNode()) {
      return 0;
    }
    int max = 0;
    for (JsonNode child : n) {
      max = Math.max(max, depth(child));
    }
    return max + 1;
  }
}
