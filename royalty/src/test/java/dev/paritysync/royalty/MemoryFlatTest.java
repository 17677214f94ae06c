package dev.paritysync.royalty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report far larger than the heap ingests in a child JVM with {@code -Xmx32m}: rows stream into
 * the lake instead of being held. (The 10-million-row bench, {@code bench/royalty-ingest.sh}, shows
 * the same at scale with {@code -Xmx256m}.)
 */
class MemoryFlatTest {
  private static final int ROWS = 300_000;

  @Test
  void aReportLargerThanTheHeapIngestsInASmallHeap(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("big.csv");
    try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      w.write("Sale Month,Store,Artist,Title,ISRC,UPC,Quantity,Country of Sale,Earnings (USD)\n");
      String[] territories = {"US", "GB", "DE", "FR", "JP"};
      for (int i = 0; i < ROWS; i++) {
        String serial = Integer.toString(100_000 + i % 100_000).substring(1);
        w.write(
            "2024-0"
                + (1 + i % 9)
                + ",Store "
                + (i % 7)
                + ",An Artist With A Long Name "
                + (i % 1000)
                + ",A Track Title That Takes Some Room Number "
                + i
                + ",USSM19"
                + (i % 10)
                + serial
                + ",,"
                + (1 + i % 50)
                + ","
                + territories[i % territories.length]
                + ",0."
                + (1000 + i % 9000)
                + "\n");
      }
    }
    assertThat(Files.size(csv)).as("report bytes").isGreaterThan(32L * 1024 * 1024);

    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-Xmx32m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    IngestInSmallHeapProbe.class.getName(),
                    csv.toString(),
                    dir.resolve("lake").toString(),
                    dir.resolve("store.db").toString()))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();

    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("valid " + ROWS + " lake " + ROWS);
  }
}
