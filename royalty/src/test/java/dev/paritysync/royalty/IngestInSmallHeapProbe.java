package dev.paritysync.royalty;

import dev.paritysync.core.time.Clock;
import dev.paritysync.royalty.lake.Lake;
import dev.paritysync.royalty.parse.Strictness;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link MemoryFlatTest}: ingests args[0] (a distributor CSV) into the lake
 * args[1] with the store args[2], and prints the valid rows the lake holds.
 */
final class IngestInSmallHeapProbe {
  private IngestInSmallHeapProbe() {}

  public static void main(String[] args) throws Exception {
    try (Database db =
            Database.open(
                DatabaseConfig.builder()
                    .withSqliteFile(Path.of(args[2]))
                    .withMigrations(Deliveries.MIGRATIONS)
                    .build());
        Lake lake = Lake.open(Path.of(args[1]), "64MB")) {
      FileIngest ingest =
          new FileIngest(db, lake, Clock.system(), new RunMetrics(new SimpleMeterRegistry()));
      FileIngest.Outcome outcome =
          ingest.ingest(
              Path.of(args[0]),
              SourceConfig.defaults("distro", SourceConfig.Format.CSV),
              Strictness.STRICT,
              false,
              w -> {},
              p -> {});
      RunSummary s = ((FileIngest.Ingested) outcome).summary();
      System.out.println("valid " + s.valid() + " lake " + lake.count("distro"));
    }
  }
}
