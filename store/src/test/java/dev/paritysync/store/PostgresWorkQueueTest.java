package dev.paritysync.store;

import dev.paritysync.store.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The work queue contract on PostgreSQL: runs only when {@code PARITYSYNC_PG_URL} names a database,
 * such as {@code jdbc:postgresql://127.0.0.1:5432/paritysync?user=ps&password=ps}, in a schema of
 * its own that is dropped afterwards (so no run leaves tables in the server's public schema).
 */
class PostgresWorkQueueTest extends WorkQueueContract {
  private static TestDatabases databases;

  @BeforeAll
  static void requirePostgres() {
    databases = TestDatabases.fresh(Dialect.POSTGRESQL, null);
  }

  @AfterAll
  static void dropSchema() {
    if (databases != null) {
      databases.close();
    }
  }

  @Override
  Database open() {
    return databases.open();
  }
}
