package dev.paritysync.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;

/**
 * The work queue contract on PostgreSQL: runs only when {@code PARITYSYNC_PG_URL} names a database,
 * such as {@code jdbc:postgresql://127.0.0.1:5432/paritysync?user=ps&password=ps}.
 */
class PostgresWorkQueueTest extends WorkQueueContract {
  static final String ENV = "PARITYSYNC_PG_URL";

  @BeforeAll
  static void requirePostgres() {
    String url = System.getenv(ENV);
    assumeTrue(
        url != null && !url.isBlank(),
        ENV + " is not set: skipping the PostgreSQL work queue contract");
  }

  @Override
  Database open() {
    return Database.open(DatabaseConfig.builder().withUrl(System.getenv(ENV)).build());
  }
}
