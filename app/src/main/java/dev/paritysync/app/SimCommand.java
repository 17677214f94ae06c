package dev.paritysync.app;

import dev.paritysync.core.config.ConfigFile;
import dev.paritysync.core.time.Clock;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.sim.SimDsp;
import dev.paritysync.sim.SimDspConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code paritysync sim}: runs a simulated channel on loopback until interrupted. */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a simulated channel on 127.0.0.1 until interrupted (Ctrl-C).",
      "Its API (native dialect): POST /v1/properties/{property}/ari,",
      "GET /v1/properties/{property}/ari?from=&to=, POST /oauth/token, GET /v1/stats.",
      "With `dialect: channex` in --config, writes go to POST /api/v1/availability",
      "and POST /api/v1/restrictions; with `dialect: cloudbeds`, to POST /ARIUpdate,",
      "and reads to POST /GetARI; with `dialect: ota`, to POST /ota/OTA_HotelAvailNotif",
      "and /ota/OTA_HotelRateAmountNotif (OpenTravel 2015A XML; docs/sim.md).",
      "With --dsp it runs a simulated DSP instead: GET /v1/reports?period=YYYY-MM,",
      "GET /v1/reports/{id}/rows?cursor=&limit=, GET /v1/stats (docs/sim.md, Simulated DSP)."
    })
final class SimCommand implements Callable<Integer> {

  @Option(
      names = "--preset",
      defaultValue = "healthy",
      description = "healthy or flaky (default: ${DEFAULT-VALUE}); --config overrides it")
  String preset;

  @Option(names = "--config", description = "a YAML file of simulator settings (see docs/sim.md)")
  @Nullable Path config;

  @Option(names = "--port", description = "port (default: the config's, else a free one)")
  @Nullable Integer port;

  @Option(names = "--seed", defaultValue = "1", description = "seed of the fault dice")
  long seed;

  @Option(
      names = "--dsp",
      description = "run a simulated DSP (report API) instead of a channel; --preset applies")
  boolean dsp;

  @Option(
      names = "--dsp-reports",
      paramLabel = "N",
      description = "with --dsp: reports per period (default: ${DEFAULT-VALUE})")
  int dspReports = 2;

  @Option(
      names = "--dsp-rows",
      paramLabel = "N",
      description = "with --dsp: rows of a period's first report (default: ${DEFAULT-VALUE})")
  int dspRows = 1_000;

  @Override
  public Integer call() throws Exception {
    if (dsp) {
      return runDsp();
    }
    SimConfig simConfig = load();
    try (SimChannel sim = SimChannel.start(simConfig, Clock.system())) {
      System.out.println("paritysync sim listening on " + sim.baseUri() + " (Ctrl-C to stop)");
      System.out.flush();
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "sim-shutdown"));
      stop.await();
    }
    return 0;
  }

  private int runDsp() throws InterruptedException {
    try (SimDsp sim = SimDsp.start(loadDsp(), Clock.system())) {
      System.out.println(
          "paritysync sim (dsp) listening on " + sim.baseUri() + " (Ctrl-C to stop)");
      System.out.flush();
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "sim-shutdown"));
      stop.await();
    }
    return 0;
  }

  SimDspConfig loadDsp() {
    if (config != null) {
      throw new IllegalArgumentException("--config: not supported with --dsp; use --preset");
    }
    SimDspConfig base;
    switch (preset) {
      case "healthy":
        base = SimDspConfig.healthy(seed);
        break;
      case "flaky":
        base = SimDspConfig.flaky(seed);
        break;
      default:
        throw new IllegalArgumentException(
            "--preset: '" + preset + "' is not a preset (healthy, flaky)");
    }
    SimDspConfig.Builder b =
        base.toBuilder().withReportsPerPeriod(dspReports).withRowsPerReport(dspRows);
    if (port != null) {
      b.withPort(port);
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--dsp: " + e.getMessage(), e);
    }
  }

  SimConfig load() throws IOException {
    if (config != null) {
      if (!Files.isRegularFile(config)) {
        throw new IllegalArgumentException("--config: no such file: " + config);
      }
      SimConfig loaded = ConfigFile.load(config, SimConfig::from);
      Integer given = port;
      if (given == null) {
        return loaded;
      }
      int p = given;
      return ConfigFile.within(config, () -> loaded.toBuilder().withPort(p).build());
    }
    SimConfig base;
    switch (preset) {
      case "healthy":
        base = SimConfig.healthy(seed);
        break;
      case "flaky":
        base = SimConfig.flaky(seed);
        break;
      default:
        throw new IllegalArgumentException(
            "--preset: '" + preset + "' is not a preset (healthy, flaky)");
    }
    return port == null ? base : base.toBuilder().withPort(port).build();
  }
}
