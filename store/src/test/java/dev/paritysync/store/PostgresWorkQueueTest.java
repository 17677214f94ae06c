package dev.paritysync.store;

import dev.paritysync.store.testing.TestDatabases;
import org.junit.jupiter.api.BeforeAll;

/**
 * The work queue contract on PostgreSQL: runs only when {@code PARITYSYNC_PG_URL} names a database,
 * such as {@code jdbc:postgresql://127.0.0.1:5432/paritysync?user=ps&password=ps}.
 */
class PostgresWorkQueueTest extends WorkQueueContract {
  @BeforeAll
  static void requirePostgres() {
    TestDatabases.assumePostgres("the PostgreSQL work queue contract");
  }

  @Override
  Database open() {
    return Database.open(
        DatabaseConfig.builder().withUrl(System.getenv(TestDatabases.POSTGRES_URL_ENV)).build());
  }
}
