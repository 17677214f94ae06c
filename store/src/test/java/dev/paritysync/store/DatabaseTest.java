package dev.paritysync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  @TempDir Path dir;

  @Test
  void firstOpenCreatesTheFileAndMigrates() throws Exception {
    Path file = dir.resolve("paritysync.db");
    try (Database db = Database.open(DatabaseConfig.sqlite(file))) {
      assertThat(Files.exists(file)).isTrue();
      assertThat(db.dialect()).isEqualTo(Dialect.SQLITE);
      assertThat(tables(db))
          .contains("work_items", "ledger", "queue_items", "store_schema_history");
      assertThat(appliedMigrations(db))
          .as("V1 store, V2 cluster, V3 quota flights, V4 ledger by channel")
          .isEqualTo(4);
    }
  }

  @Test
  void reopeningChangesNothing() throws Exception {
    Path file = dir.resolve("p.db");
    try (Database db = Database.open(DatabaseConfig.sqlite(file))) {
      db.inTransaction(
          c -> exec(c, "INSERT INTO ledger VALUES ('x', 1, 'k', NULL, NULL, NULL, '{}')"));
    }
    try (Database db = Database.open(DatabaseConfig.sqlite(file))) {
      assertThat(appliedMigrations(db)).isEqualTo(4);
      assertThat(count(db, "ledger")).isEqualTo(1);
    }
  }

  @Test
  void runsInWalModeWithForeignKeysAndTheConfiguredSynchronous() {
    try (Database db = Database.open(DatabaseConfig.sqlite(dir.resolve("w.db")))) {
      assertThat(pragma(db, "journal_mode")).isEqualTo("wal");
      assertThat(pragma(db, "foreign_keys")).isEqualTo("1");
      assertThat(pragma(db, "synchronous")).isEqualTo("2"); // FULL
      assertThat(pragma(db, "busy_timeout")).isEqualTo("5000");
    }
    DatabaseConfig normal =
        DatabaseConfig.builder()
            .withSqliteFile(dir.resolve("n.db"))
            .withSqliteSynchronous(DatabaseConfig.SqliteSynchronous.NORMAL)
            .build();
    try (Database db = Database.open(normal)) {
      assertThat(pragma(db, "synchronous")).isEqualTo("1"); // NORMAL
    }
  }

  @Test
  void rollsBackWhenTheWorkThrowsAndRethrowsUnchanged() {
    try (Database db = Database.open(DatabaseConfig.sqlite(dir.resolve("r.db")))) {
      IllegalStateException boom = new IllegalStateException("boom");
      assertThatThrownBy(
              () ->
                  db.inTransaction(
                      c -> {
                        exec(c, "INSERT INTO ledger VALUES ('x', 1, 'k', NULL, NULL, NULL, '{}')");
                        throw boom;
                      }))
          .isSameAs(boom);
      assertThat(count(db, "ledger")).isZero();
      int inserted =
          db.inTransaction(
              c -> exec(c, "INSERT INTO ledger VALUES ('y', 1, 'k', NULL, NULL, NULL, '{}')"));
      assertThat(inserted).isEqualTo(1);
      assertThat(count(db, "ledger")).isEqualTo(1);
    }
  }

  @Test
  void sqlFailuresNameTheDatabaseAndAttempt() {
    Path file = dir.resolve("e.db");
    try (Database db = Database.open(DatabaseConfig.sqlite(file))) {
      assertThatThrownBy(() -> db.inTransaction(c -> exec(c, "INSERT INTO nowhere VALUES (1)")))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("jdbc:sqlite:" + file)
          .hasMessageContaining("attempt 1 of 5")
          .hasMessageContaining("nowhere");
    }
  }

  @Test
  void nestedTransactionsAreRefused() {
    try (Database db = Database.open(DatabaseConfig.sqlite(dir.resolve("n.db")))) {
      assertThatThrownBy(() -> db.inTransaction(c -> db.inTransaction(c2 -> 1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("pass the Connection down");
      int two = db.inTransaction(c -> 2);
      assertThat(two).isEqualTo(2);
    }
  }

  @Test
  void extraMigrationLocationsKeepTheirOwnHistory() throws Exception {
    DatabaseConfig config =
        DatabaseConfig.builder()
            .withSqliteFile(dir.resolve("m.db"))
            .withMigrations("classpath:db/migration/storetest")
            .build();
    try (Database db = Database.open(config)) {
      assertThat(tables(db)).contains("storetest_schema_history", "storetest_things");
    }
    try (Database db = Database.open(config)) {
      assertThat(tables(db)).contains("storetest_things");
    }
  }

  @Test
  void configRejectsRepeatsAndUnknownUrls() {
    assertThatThrownBy(() -> DatabaseConfig.builder().withUrl("jdbc:mysql://x/y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jdbc:mysql://x/y");
    assertThatThrownBy(() -> DatabaseConfig.builder().withPoolSize(2).withPoolSize(3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("poolSize was already set to 2");
    assertThatThrownBy(
            () -> DatabaseConfig.builder().withMigrations("classpath:db/migration/store"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'store'");
    assertThat(DatabaseConfig.builder().build().url()).isEqualTo(DatabaseConfig.DEFAULT_URL);
    assertThat(Database.redactUrl("jdbc:postgresql://h/db?password=s3cret"))
        .isEqualTo("jdbc:postgresql://h/db?[parameters]");
    assertThat(Database.redactUrl("jdbc:postgresql://u:hunter2@h:5432/db?ssl=true"))
        .isEqualTo("jdbc:postgresql://[redacted]@h:5432/db?[parameters]");
    assertThat(Database.redactUrl("jdbc:sqlite:/var/lib/p@1/paritysync.db"))
        .isEqualTo("jdbc:sqlite:/var/lib/p@1/paritysync.db");
  }

  @Test
  void aSqliteFileInAMissingDirectoryIsRefusedNotCreated() {
    Path file = dir.resolve("typo/paritysync.db");
    assertThatThrownBy(() -> Database.open(DatabaseConfig.sqlite(file)))
        .isInstanceOf(StoreException.class)
        .hasMessage(
            "cannot open database jdbc:sqlite:"
                + file
                + ": directory "
                + file.getParent()
                + " does not exist; create it, or correct database.url");
    assertThat(file.getParent()).doesNotExist();
  }

  /**
   * Another program holds the file's write lock past the busy timeout: the transaction fails and
   * commits nothing, and afterwards every transaction is a transaction again (before, the driver's
   * connection was left in manual-commit mode with none begun, and later work ran statement by
   * statement: a failure half-way kept its first half).
   */
  @Test
  void aFileLockedByAnotherProgramFailsCleanlyAndLeavesNoConnectionOutsideATransaction()
      throws Exception {
    Path file = dir.resolve("busy.db");
    DatabaseConfig config =
        DatabaseConfig.builder()
            .withSqliteFile(file)
            .withPoolSize(1)
            .withBusyTimeout(java.time.Duration.ofMillis(200))
            .withMaxTransactionAttempts(2)
            .build();
    try (Database db = Database.open(config)) {
      try (Connection other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file)) {
        exec(other, "BEGIN EXCLUSIVE");
        assertThatThrownBy(() -> db.inTransaction(c -> exec(c, ledgerRow("a"))))
            .isInstanceOf(StoreException.class)
            .hasMessageContaining("attempt 2 of 2");
        exec(other, "ROLLBACK");
      }
      assertThatThrownBy(
              () ->
                  db.inTransaction(
                      c -> {
                        exec(c, ledgerRow("b"));
                        throw new IllegalStateException("half-way");
                      }))
          .hasMessage("half-way");
      assertThat(count(db, "ledger")).as("nothing of a failed or rolled-back transaction").isZero();
      int inserted = db.inTransaction(c -> exec(c, ledgerRow("c")));
      assertThat(inserted).isEqualTo(1);
      assertThat(count(db, "ledger")).isEqualTo(1);
    }
  }

  /**
   * A full disk (a tmpfs shrunk to what it holds; mounting needs root, so elsewhere the test is
   * skipped saying why): the write fails whole, readiness says so, and once room is back the next
   * write succeeds on the same pool — no connection is left broken or outside a transaction.
   */
  @Test
  void aFullDiskFailsTheWriteWholeAndTheNextSucceedsOnceThereIsRoom() throws Exception {
    Path mount = dir.resolve("small");
    Files.createDirectories(mount);
    org.junit.jupiter.api.Assumptions.assumeTrue(
        run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount.toString()) == 0,
        "skipped: cannot mount a tmpfs here (needs root) to fill a disk for real");
    try {
      Path file = mount.resolve("full.db");
      try (Database db =
          Database.open(DatabaseConfig.builder().withSqliteFile(file).withPoolSize(2).build())) {
        db.inTransaction(c -> exec(c, ledgerRow("before")));
        java.nio.file.FileStore store = Files.getFileStore(mount);
        long usedKib = (store.getTotalSpace() - store.getUnallocatedSpace()) / 1024 + 4;
        assertThat(run("mount", "-o", "remount,size=" + usedKib + "k", mount.toString())).isZero();
        String big = "x".repeat(64 * 1024);
        assertThatThrownBy(
                () ->
                    db.inTransaction(
                        c -> {
                          for (int i = 0; i < 64; i++) {
                            exec(
                                c,
                                "INSERT INTO ledger VALUES ('big-"
                                    + i
                                    + "', 1, 'k', NULL, NULL, NULL, '"
                                    + big
                                    + "')");
                          }
                          return null;
                        }))
            .isInstanceOf(StoreException.class);
        assertThatThrownBy(db::verifyWritable).isInstanceOf(StoreException.class);
        assertThat(run("mount", "-o", "remount,size=8m", mount.toString())).isZero();
        db.verifyWritable();
        for (int i = 0; i < 4; i++) { // every pooled connection works, inside a transaction
          int n = i;
          db.inTransaction(c -> exec(c, ledgerRow("after-" + n)));
        }
        assertThat(count(db, "ledger"))
            .as("nothing of the failed write, all of the others")
            .isEqualTo(5);
      }
    } finally {
      run("umount", mount.toString());
    }
  }

  private static int run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }

  @Test
  void writesStopWhenTheFileIsDeletedOrReplaced() throws Exception {
    Path file = dir.resolve("gone.db");
    try (Database db = Database.open(DatabaseConfig.sqlite(file))) {
      db.inTransaction(c -> exec(c, ledgerRow("a")));
      db.verifyFile();
      for (String suffix : List.of("", "-wal", "-shm")) {
        Files.deleteIfExists(Path.of(file + suffix));
      }
      assertThatThrownBy(() -> db.inTransaction(c -> exec(c, ledgerRow("b"))))
          .isInstanceOf(StoreException.class)
          .hasMessage(
              "database jdbc:sqlite:"
                  + file
                  + ": file "
                  + file
                  + " was deleted while open; writes stop here so that none is lost in it"
                  + " (restore the file, or restart to create a new one)");
      assertThatThrownBy(db::verifyFile).isInstanceOf(StoreException.class);
      Files.writeString(file, "");
      assertThatThrownBy(db::verifyFile).hasMessageContaining("was replaced by another file");
    }
  }

  private static String ledgerRow(String id) {
    return "INSERT INTO ledger VALUES ('" + id + "', 1, 'k', NULL, NULL, NULL, '{}')";
  }

  /** A password in the URL's user-info or parameters never reaches an error message. */
  @Test
  void aFailedOpenNamesTheDatabaseWithoutItsPassword() {
    for (String url :
        List.of(
            "jdbc:postgresql://u:hunter2@127.0.0.1:1/db?connectTimeout=1",
            "jdbc:postgresql://127.0.0.1:1/db?user=u&password=hunter2&connectTimeout=1")) {
      DatabaseConfig config = DatabaseConfig.builder().withUrl(url).build();
      assertThatThrownBy(() -> Database.open(config))
          .isInstanceOf(StoreException.class)
          .hasMessageStartingWith("cannot open database jdbc:postgresql://")
          .satisfies(e -> assertThat(stackOf(e)).doesNotContain("hunter2"));
    }
  }

  private static String stackOf(Throwable e) {
    java.io.StringWriter out = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }

  static int exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return s.executeUpdate(sql);
    }
  }

  static long count(Database db, String table) {
    return db.read(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  private static String pragma(Database db, String name) {
    return db.read(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
          }
        });
  }

  private static java.util.List<String> tables(Database db) {
    return db.read(
        c -> {
          java.util.List<String> out = new java.util.ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT name FROM sqlite_master WHERE type = 'table'");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(rs.getString(1));
            }
          }
          return out;
        });
  }

  private static long appliedMigrations(Database db) {
    return db.read(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery(
                      "SELECT COUNT(*) FROM store_schema_history WHERE success = 1 AND version IS NOT NULL"
                          + " AND version <> '0'")) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }
}
