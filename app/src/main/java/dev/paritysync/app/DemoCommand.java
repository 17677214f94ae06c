package dev.paritysync.app;

import dev.paritysync.app.demo.EngineDemo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code paritysync demo}: the README's first command. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the hotel engine on the embedded default (a fresh SQLite file) against three",
      "simulated channels on loopback: healthy; flaky (5xx, 429s, resets, OAuth2); one with an",
      "outage, a rate floor and cells in conflict. Loads 5 properties x 8 room types x 3 rate",
      "plans x 365 days, plays a day of changes, shows progress per channel and ends with a",
      "parity report. Exit code 0 when every cell not in a queue is at parity."
    })
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--seed", defaultValue = "7", description = "seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--changes",
      defaultValue = "3000",
      description = "changes in the revenue manager's day (default: ${DEFAULT-VALUE})")
  int changes;

  @Option(
      names = "--day",
      defaultValue = "20s",
      converter = DurationConverter.class,
      description = "how long the day takes to play (default: ${DEFAULT-VALUE})")
  Duration day;

  @Option(
      names = "--outage",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "how long the third channel is down (default: ${DEFAULT-VALUE})")
  Duration outage;

  @Option(
      names = "--db",
      description = "keep the database at this new file (default: a temporary file, deleted)")
  Path db;

  @Option(
      names = "--channels",
      split = ",",
      defaultValue = "native",
      paramLabel = "ADAPTER[,ADAPTER,ADAPTER]",
      description = {
        "the adapter each channel speaks (and its simulator): one for all three, or three for",
        "healthy, flaky and outage in that order, e.g. ota,cloudbeds,channex (default: native)"
      })
  List<String> channels;

  @Override
  public Integer call() throws Exception {
    return new EngineDemo(seed, changes, day, outage, db, channels, System.out).run();
  }
}
