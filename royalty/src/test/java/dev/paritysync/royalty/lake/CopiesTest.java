package dev.paritysync.royalty.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A commit's COPY statements on two connections, against a real in-memory DuckDB. */
class CopiesTest {
  @TempDir Path dir;
  DuckDBConnection duck;
  final AtomicInteger started = new AtomicInteger();
  final ThreadFactory counting =
      r -> {
        started.incrementAndGet();
        return new Thread(r, "copies-test");
      };

  @BeforeEach
  void open() throws SQLException {
    duck = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = duck.createStatement()) {
      s.execute("SET threads = 2");
    }
  }

  @AfterEach
  void close() throws SQLException {
    duck.close();
  }

  List<String> copies(int n) {
    List<String> sql = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sql.add("COPY (SELECT " + i + " AS i) TO " + Lake.literal(file(i).toString()));
    }
    return sql;
  }

  Path file(int i) {
    return dir.resolve("f-" + i + ".csv");
  }

  long threads() throws SQLException {
    try (Statement s = duck.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_setting('threads')")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void everyStatementRunsOnceOnTwoConnectionsAndDuckDbGetsItsThreadsBack() throws Exception {
    Copies.run(duck, copies(20), 2, counting);

    for (int i = 0; i < 20; i++) {
      assertThat(Files.readAllLines(file(i))).containsExactly("i", Integer.toString(i));
    }
    assertThat(started).as("one thread beside the caller's").hasValue(1);
    assertThat(threads()).isEqualTo(2);
  }

  @Test
  void aSingleStatementRunsOnTheCallersThreadAlone() throws Exception {
    Copies.run(duck, copies(1), 2, counting);

    assertThat(file(0)).exists();
    assertThat(started).hasValue(0);
  }

  @Test
  void oneConnectionAtATimeWhenTheMemoryLimitAllowsOneCopy() throws Exception {
    Copies.run(duck, copies(5), 1, counting);

    assertThat(file(4)).exists();
    assertThat(started).hasValue(0);
    assertThat(threads()).isEqualTo(2);
  }

  @Test
  void theFirstFailureStopsTheRestAndIsRethrownWithDuckDbsMessage() throws Exception {
    List<String> sql = new ArrayList<>(copies(2));
    sql.add("COPY (SELECT * FROM no_such_table) TO " + Lake.literal(file(99).toString()));
    sql.addAll(copies(200).subList(2, 200));

    assertThatThrownBy(() -> Copies.run(duck, sql, 2, counting))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("no_such_table");

    long written = 0;
    for (int i = 0; i < 200; i++) {
      written += Files.exists(file(i)) ? 1 : 0;
    }
    // each statement is a few milliseconds: without the stop the other thread would write all 199
    assertThat(written).as("statements taken after the failure").isLessThan(100);
    assertThat(threads()).isEqualTo(2);
  }

  @Test
  void aThreadThatCannotStartFailsTheRunAndDuckDbGetsItsThreadsBack() throws Exception {
    ThreadFactory none =
        r -> {
          throw new IllegalStateException("no thread for you");
        };

    assertThatThrownBy(() -> Copies.run(duck, copies(3), 2, none)).hasMessage("no thread for you");

    assertThat(file(0)).doesNotExist();
    assertThat(threads()).isEqualTo(2);
  }
}
