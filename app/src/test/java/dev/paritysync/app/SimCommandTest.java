package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.config.Window;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.sim.SimDspConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimCommandTest {
  @TempDir Path dir;

  @Test
  void loadsEveryKeyDocsSimMdDocuments() throws Exception {
    Path yaml = dir.resolve("sim.yaml");
    Files.writeString(
        yaml,
        String.join(
            "\n",
            "preset: flaky",
            "seed: 9",
            "port: 0",
            "quotas: {ari: [\"20/1s\", \"600/1m\"], read: [\"5/1s\"]}",
            "retryAfterStyle: http_date",
            "p500: 0.1",
            "pSlow: 0.01",
            "slowDelay: 2s",
            "outages: [{from: 3s, to: 13s}]",
            "conflictCells: [\"P1/DBL/BAR/2026-05-01\"]",
            "rateFloor: 40.00",
            "oauth: {clientId: demo, clientSecret: s3cr3t, tokenTtl: 5m}",
            "honorIdempotencyKeys: true"));
    SimCommand command = new SimCommand();
    new CommandLine(command).parseArgs("--config", yaml.toString(), "--port", "18081");
    SimConfig c = command.load();
    assertThat(c.seed()).isEqualTo(9);
    assertThat(c.port()).isEqualTo(18081);
    assertThat(c.quotas().get("ari")).containsExactly("20/1s", "600/1m");
    assertThat(c.retryAfterStyle()).isEqualTo(SimConfig.RetryAfterStyle.HTTP_DATE);
    assertThat(c.p500()).isEqualTo(0.1);
    assertThat(c.p502()).isEqualTo(SimConfig.flaky(0).p502());
    assertThat(c.slowDelay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.outages())
        .containsExactly(new Window(Duration.ofSeconds(3), Duration.ofSeconds(13)));
    assertThat(c.conflictCells()).containsExactly("P1/DBL/BAR/2026-05-01");
    assertThat(c.rateFloor()).isEqualByComparingTo(new BigDecimal("40.00"));
    assertThat(c.oauth().tokenTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(List.of(c.honorIdempotencyKeys())).containsExactly(true);
  }

  @Test
  void aBadConfigFailsWithTheFileAndKeyNamed() throws Exception {
    Path yaml = dir.resolve("bad.yaml");
    Files.writeString(yaml, "quotas: {ari: [\"ten/m\"]}\n");
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("sim", "--config", yaml.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("bad.yaml: quotas.ari[0]: expected N/period like 10/1m, got 'ten/m'");
  }

  @Test
  void aBusyPortIsOneLineNamingThePortNotAStackTrace() throws Exception {
    try (java.net.ServerSocket busy =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int port = busy.getLocalPort();
      for (String[] args :
          List.of(
              new String[] {"sim", "--port", Integer.toString(port)},
              new String[] {"sim", "--dsp", "--port", Integer.toString(port)})) {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute(args)).as(String.join(" ", args)).isEqualTo(1);
        assertThat(err.toString().lines().toList())
            .as(String.join(" ", args))
            .hasSize(1)
            .first()
            .asString()
            .startsWith("paritysync: cannot listen on port " + port + ":");
      }
    }
  }

  @Test
  void anUnknownPresetIsNamed() {
    SimCommand command = new SimCommand();
    new CommandLine(command).parseArgs("--preset", "wobbly");
    assertThatThrownBy(command::load)
        .hasMessage("--preset: 'wobbly' is not a preset (healthy, flaky)");
  }

  @Test
  void dspTakesThePresetAndItsSizes() {
    SimCommand command = new SimCommand();
    new CommandLine(command)
        .parseArgs(
            "--dsp", "--preset", "flaky", "--seed", "4", "--dsp-reports", "5", "--dsp-rows", "70");
    SimDspConfig c = command.loadDsp();
    assertThat(c.seed()).isEqualTo(4);
    assertThat(c.reportsPerPeriod()).isEqualTo(5);
    assertThat(c.rowsPerReport()).isEqualTo(70);
    assertThat(c.pTruncate()).isEqualTo(SimDspConfig.flaky(4).pTruncate());
    SimCommand zero = new SimCommand();
    new CommandLine(zero).parseArgs("--dsp", "--dsp-rows", "0");
    assertThatThrownBy(zero::loadDsp).hasMessage("--dsp: rowsPerReport must be >= 1, was 0");
  }
}
