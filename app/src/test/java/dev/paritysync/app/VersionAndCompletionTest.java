package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code paritysync --version} and {@code paritysync completion}. */
class VersionAndCompletionTest {

  @Test
  void versionNamesTheBuildsCommit() {
    StringWriter out = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    assertThat(cl.execute("--version")).isZero();
    // built from a git checkout by Maven: the filtered resource holds the abbreviated commit
    assertThat(out.toString()).containsPattern("^paritysync \\S+ \\(commit ([0-9a-f]{7,}|unknown)");
  }

  @Test
  void aBuildOutsideGitSaysUnknown() {
    Properties p = new Properties();
    p.setProperty("version", "1.2.3");
    p.setProperty("commit", "${git.commit.id.abbrev}");
    p.setProperty("dirty", "${git.dirty}");
    assertThat(VersionProvider.line(p)).isEqualTo("paritysync 1.2.3 (commit unknown)");
    p.setProperty("commit", "1a2b3c4");
    p.setProperty("dirty", "true");
    assertThat(VersionProvider.line(p)).isEqualTo("paritysync 1.2.3 (commit 1a2b3c4, modified)");
    assertThat(VersionProvider.line(new Properties()))
        .isEqualTo("paritysync unknown (commit unknown)");
  }

  @Test
  void completionCoversSubcommandsAddedInCode() {
    StringWriter out = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    assertThat(cl.execute("completion")).isZero();
    assertThat(out.toString())
        .contains("complete -F _complete_paritysync -o default paritysync")
        .contains("bashcompinit") // zsh loads it and reads the same script
        .contains("function _picocli_paritysync_config_check()")
        .contains("function _picocli_paritysync_queue()") // added in Main.commandLine
        .contains("--strict");
  }
}
