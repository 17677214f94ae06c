package dev.paritysync.app;

import dev.paritysync.app.demo.CoreDemo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code paritysync demo}: the README's first command. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Pushes a burst of rate changes through the resilience core to three simulated channels on",
      "loopback (healthy; flaky with 5xx, 429s and resets; a 10-second outage with rejected cells),",
      "shows progress per channel, and ends with a parity check. Exit code 0 at parity."
    })
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--seed", defaultValue = "7", description = "seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--changes",
      defaultValue = "360",
      description = "rate changes pushed to each channel (default: ${DEFAULT-VALUE})")
  int changes;

  @Override
  public Integer call() throws Exception {
    return new CoreDemo(seed, changes, System.out).run();
  }
}
