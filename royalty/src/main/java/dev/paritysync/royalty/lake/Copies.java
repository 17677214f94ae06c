package dev.paritysync.royalty.lake;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.duckdb.DuckDBConnection;

/**
 * Runs a commit's {@code COPY} statements two at a time: on the lake's connection (the calling
 * thread) and on a duplicate of it (a thread from the given factory), each taking the next
 * statement until none is left, with DuckDB set to one thread meanwhile (and set back after). Under
 * a memory limit too small for two {@code COPY}s at once, one connection runs them all.
 *
 * <p>Why: a partition's staging file is small (tens of thousands of rows, about one Parquet row
 * group), and DuckDB's second thread on such a {@code COPY} cost more CPU than it saved: on 1M rows
 * in 180 partitions, 2.8–3.4 CPU-s with two threads, 1.8–2.6 with one (docs/benchmarks.md). Two
 * single-threaded statements at once keep both cores busy without that overhead. The duplicate
 * shares the database, so the memory limit still holds for both. Not thread-safe: one commit at a
 * time per lake.
 */
final class Copies {
  private Copies() {}

  /**
   * Runs every statement of {@code sql} once, on {@code connections} (1 or 2) connections; stops
   * taking new ones after the first failure, waits for the other thread, and rethrows that failure.
   *
   * @throws SQLException the first statement's failure (DuckDB's message names the file)
   */
  static void run(DuckDBConnection duck, List<String> sql, int connections, ThreadFactory threads)
      throws SQLException {
    if (sql.isEmpty()) {
      return;
    }
    String before = threadsSetting(duck);
    try (Statement s = duck.createStatement()) {
      s.execute("SET threads = 1");
    }
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try {
      if (sql.size() == 1 || connections < 2) {
        drain(duck, sql, next, failure);
      } else {
        try (DuckDBConnection second = (DuckDBConnection) duck.duplicate()) {
          Thread helper = threads.newThread(() -> drain(second, sql, next, failure));
          helper.start();
          try {
            drain(duck, sql, next, failure);
          } finally {
            joinQuietly(helper);
          }
        }
      }
    } finally {
      try (Statement s = duck.createStatement()) {
        s.execute("SET threads = " + before);
      }
    }
    Throwable failed = failure.get();
    if (failed != null) {
      rethrow(failed);
    }
  }

  private static void drain(
      DuckDBConnection c,
      List<String> sql,
      AtomicInteger next,
      AtomicReference<Throwable> failure) {
    try (Statement s = c.createStatement()) {
      while (failure.get() == null) {
        int i = next.getAndIncrement();
        if (i >= sql.size()) {
          return;
        }
        s.execute(sql.get(i));
      }
    } catch (SQLException | RuntimeException | Error e) {
      failure.compareAndSet(null, e);
    }
  }

  private static String threadsSetting(DuckDBConnection duck) throws SQLException {
    try (Statement s = duck.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_setting('threads')")) {
      rs.next();
      return Long.toString(rs.getLong(1));
    }
  }

  private static void rethrow(Throwable t) throws SQLException {
    if (t instanceof SQLException e) {
      throw e;
    }
    if (t instanceof RuntimeException e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
  }

  private static void joinQuietly(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
