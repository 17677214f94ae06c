package dev.paritysync.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work done on one connection inside {@link Database#inTransaction(Tx)} or {@link
 * Database#read(Tx)}.
 *
 * <p>A transaction may run more than once when it meets contention, so the work must have no
 * effects outside the connection (no HTTP calls, no acknowledgements) and must not keep the
 * connection after it returns.
 *
 * @param <T> what the work returns
 */
@FunctionalInterface
public interface Tx<T> {
  T run(Connection connection) throws SQLException;

  /**
   * Work that returns nothing, for {@link Database#inTransactionRun} and {@link Database#readRun}.
   */
  @FunctionalInterface
  interface Step {
    void run(Connection connection) throws SQLException;
  }
}
