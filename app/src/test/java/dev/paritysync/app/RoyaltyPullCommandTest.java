package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.time.Clock;
import dev.paritysync.royalty.lake.Lake;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.sim.SimDsp;
import dev.paritysync.sim.SimDspConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code paritysync royalty pull} in this JVM: output, exit codes and one-line errors. */
class RoyaltyPullCommandTest {
  @TempDir Path dir;

  private int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void pullsEveryReportAndPrintsTheMetrics() throws Exception {
    try (SimDsp dsp =
        SimDsp.start(
            SimDspConfig.newBuilder().withRowsPerReport(250).withReportsPerPeriod(2).build(),
            Clock.system())) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      String[] args = {
        "royalty",
        "pull",
        "--dsp",
        dsp.baseUri().toString(),
        "--source",
        "simdsp",
        "--period",
        "2026-03",
        "--db",
        dir.resolve("r.db").toString(),
        "--lake",
        dir.resolve("lake").toString(),
        "--page-size",
        "100"
      };
      assertThat(run(out, err, args)).as(err.toString()).isZero();
      try (Lake lake = Lake.open(dir.resolve("lake"));
          Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + dir.resolve("r.db"))) {
        for (String id : List.of("rpt-2026-03-1", "rpt-2026-03-2")) {
          long valid;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT COUNT(*) FROM royalty_rows WHERE report = ? AND valid = 1")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              valid = rs.getLong(1);
            }
          }
          assertThat(valid).isPositive().isLessThan(dsp.rowCount(id));
          assertThat(lake.count("simdsp", id))
              .as("valid rows of %s in the lake", id)
              .isEqualTo(valid);
        }
      }
      assertThat(out.toString())
          .contains("pulling 2026-03 from " + dsp.baseUri() + " as simdsp: 2 reports")
          .contains("page rpt-2026-03-1 pages=3 staged=250/250 retries=0")
          .contains("complete rpt-2026-03-1 rows=250 pages=3")
          .contains("metrics rows/s: ")
          .contains("metrics retry rate: 0.00%")
          .contains("metrics backoff p95: 0 ms")
          .contains("metrics schema rejection rate: ")
          .contains("metrics sync completion delta: rpt-2026-03-2 ");

      StringWriter again = new StringWriter();
      assertThat(run(again, new StringWriter(), args)).isZero();
      assertThat(again.toString()).contains("complete rpt-2026-03-1 rows=250 pages=3 (already)");
    }
  }

  @Test
  void badInputIsOneLineNamingTheOption() throws Exception {
    StringWriter err = new StringWriter();
    int code =
        run(
            new StringWriter(),
            err,
            "royalty",
            "pull",
            "--dsp",
            "http://127.0.0.1:1",
            "--source",
            "s",
            "--period",
            "2026-3");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("paritysync: --period: '2026-3' is not YYYY-MM\n");

    StringWriter quota = new StringWriter();
    code =
        run(
            new StringWriter(),
            quota,
            "royalty",
            "pull",
            "--dsp",
            "http://127.0.0.1:1",
            "--source",
            "s",
            "--period",
            "2026-03",
            "--quota",
            "many/1s");
    assertThat(code).isEqualTo(2);
    assertThat(quota.toString()).startsWith("paritysync: --quota: ").contains("many/1s");

    Path yaml = dir.resolve("sources.yaml");
    Files.writeString(yaml, "sources: {other: {format: json}}\n");
    StringWriter err2 = new StringWriter();
    code =
        run(
            new StringWriter(),
            err2,
            "royalty",
            "pull",
            "--dsp",
            "http://127.0.0.1:1",
            "--source",
            "s",
            "--period",
            "2026-03",
            "--config",
            yaml.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err2.toString())
        .contains("--config: " + yaml + " has no sources.s (give --source one it has)");
  }

  @Test
  void aDspThatRefusesIsOneLineAndExitCode1() {
    // a simulated hotel channel: it has no /v1/reports, so the listing answers 404
    try (SimChannel notADsp = SimChannel.start(SimConfig.healthy(1), Clock.system())) {
      StringWriter err = new StringWriter();
      StringWriter out = new StringWriter();
      int code =
          run(
              out,
              err,
              "royalty",
              "pull",
              "--dsp",
              notADsp.baseUri().toString(),
              "--source",
              "s",
              "--period",
              "2026-03",
              "--db",
              dir.resolve("r.db").toString(),
              "--lake",
              dir.resolve("lake").toString());
      assertThat(code).isEqualTo(1);
      // a progress status line ("pull …", logged once a step took 5 s) may come first
      assertThat(err.toString().replaceAll("(?m)^pull .*\n", ""))
          .startsWith(
              "paritysync: listing of 2026-03 from "
                  + notADsp.baseUri()
                  + " failed after 1 attempts (mapping): last answer 404");
      assertThat(out.toString()).contains("metrics retry rate: 0.00% (0 retries of 1 attempts");
    }
  }

  @Test
  void aDspThatKeepsFailingIsNeverSilentEveryRetryAndWaitIsALine() {
    try (SimDsp dsp =
        SimDsp.start(SimDspConfig.newBuilder().withP503(1.0).build(), Clock.system())) {
      StringWriter err = new StringWriter();
      StringWriter out = new StringWriter();
      int code =
          run(
              out,
              err,
              "royalty",
              "pull",
              "--dsp",
              dsp.baseUri().toString(),
              "--source",
              "simdsp",
              "--period",
              "2026-03",
              "--db",
              dir.resolve("r.db").toString(),
              "--lake",
              dir.resolve("lake").toString(),
              "--backoff-base",
              "1ms");
      assertThat(code).isEqualTo(1);
      List<String> lines = err.toString().lines().filter(l -> !l.startsWith("pull ")).toList();
      assertThat(lines.get(0))
          .matches(
              "retry list-2026-03 attempt 1 answered 503; waiting \\d+ ms \\(backoff\\) before"
                  + " attempt 2");
      assertThat(lines)
          .filteredOn(l -> l.startsWith("retry list-2026-03 attempt 2 answered 503; waiting "))
          .hasSize(1);
      assertThat(lines.get(lines.size() - 1))
          .startsWith("paritysync: listing of 2026-03 from " + dsp.baseUri() + " failed after ");
      assertThat(lines.subList(0, lines.size() - 1)).allMatch(l -> l.startsWith("retry "));
    }
  }
}
