package dev.paritysync.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The work queue contract on a real SQLite file. */
class SqliteWorkQueueTest extends WorkQueueContract {
  @TempDir Path dir;

  @Override
  Database open() {
    return Database.open(DatabaseConfig.sqlite(dir.resolve("queue.db")));
  }
}
