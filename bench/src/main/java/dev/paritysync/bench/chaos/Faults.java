package dev.paritysync.bench.chaos;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * Storage faults under the running server: another program holding the SQLite file's write lock,
 * and a full disk. The disk is a tmpfs this class mounts (root only); "full" is a remount to the
 * size already used, then back — where it cannot mount, the soak runs on the ordinary temporary
 * directory and says that the disk-full part was skipped.
 */
final class Faults {
  private static final long TMPFS_MIB = 4_096;

  private final Path dir;
  private final boolean tmpfs;

  private Faults(Path dir, boolean tmpfs) {
    this.dir = dir;
    this.tmpfs = tmpfs;
  }

  /** A directory for the database: a fresh tmpfs when one can be mounted, else {@code fallback}. */
  static Faults prepare(Path fallback) throws IOException, InterruptedException {
    Path mount = Files.createTempDirectory("paritysync-chaos-db");
    if (run(
            List.of(
                "mount", "-t", "tmpfs", "-o", "size=" + TMPFS_MIB + "m", "tmpfs", mount.toString()))
        == 0) {
      return new Faults(mount, true);
    }
    Files.delete(mount);
    return new Faults(fallback, false);
  }

  Path dir() {
    return dir;
  }

  boolean canFillDisk() {
    return tmpfs;
  }

  /** Holds the SQLite write lock of {@code db} from another connection for {@code d}. */
  void lockDatabase(Path db, Duration d) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute("BEGIN EXCLUSIVE");
      Waits.pause(d);
      s.execute("ROLLBACK");
    }
  }

  /**
   * Shrinks the tmpfs to what is in use (no write fits) for {@code d}, then gives the room back.
   */
  void fillDisk(Duration d) throws IOException, InterruptedException {
    FileStore store = Files.getFileStore(dir);
    long usedKib = (store.getTotalSpace() - store.getUnallocatedSpace()) / 1024 + 4;
    remount(usedKib + "k");
    try {
      Waits.pause(d);
    } finally {
      remount(TMPFS_MIB + "m");
    }
  }

  /** Unmounts the tmpfs (its files go with it). */
  void close() throws IOException, InterruptedException {
    if (tmpfs && run(List.of("umount", dir.toString())) == 0) {
      Files.deleteIfExists(dir);
    } else if (tmpfs) {
      System.out.println("note: could not unmount the tmpfs at " + dir + "; unmount it by hand");
    }
  }

  private void remount(String size) throws IOException, InterruptedException {
    int status = run(List.of("mount", "-o", "remount,size=" + size, dir.toString()));
    if (status != 0) {
      throw new IOException("remount of " + dir + " to " + size + " failed with status " + status);
    }
  }

  private static int run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }
}
