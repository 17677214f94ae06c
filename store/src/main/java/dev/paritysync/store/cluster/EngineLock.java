package dev.paritysync.store.cluster;

import dev.paritysync.core.time.Clock;
import dev.paritysync.store.Database;
import dev.paritysync.store.DatabaseConfig;
import dev.paritysync.store.Dialect;
import dev.paritysync.store.StoreException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a second engine process off a SQLite database: SQLite serves one engine, and two would take
 * each other's leases in turns without the row locks PostgreSQL gives.
 *
 * <p>For a SQLite file, {@link #acquire} takes an exclusive {@link FileLock} on {@code <database
 * file>.engine-lock} (created beside it, never deleted) and writes the holder's pid, host, worker
 * id and start into it; the lock is held until {@link #close()}, or until the process dies, when
 * the operating system releases it. For PostgreSQL or an in-memory SQLite database the lock holds
 * nothing.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class EngineLock implements AutoCloseable {
  /*
   * The lock files held in this JVM, and by whom. Checked before a channel is opened: closing any
   * channel of a locked file releases this process's lock on it (POSIX record locks), so a second
   * attempt in the same JVM must not open the file at all.
   */
  private static final ConcurrentMap<Path, String> HELD = new ConcurrentHashMap<>();

  private final @Nullable Path file; // null: a lock that holds nothing
  private final @Nullable FileChannel channel;
  private final @Nullable FileLock lock;

  private EngineLock(@Nullable Path file, @Nullable FileChannel channel, @Nullable FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the engine lock of the database {@code config} names, for worker {@code workerId}.
   *
   * @throws StoreException naming {@code database.url} and the holder (pid, host, since when) when
   *     another process, or another engine in this JVM, holds the lock; or naming the lock file
   *     when it cannot be created
   */
  public static EngineLock acquire(DatabaseConfig config, String workerId, Clock clock) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(clock, "clock");
    Path database = sqliteFile(config.url());
    if (database == null) {
      return new EngineLock(null, null, null);
    }
    Path file = database.resolveSibling(database.getFileName() + ".engine-lock").normalize();
    String pid = Long.toString(ProcessHandle.current().pid());
    String host = WorkerRegistry.hostName();
    String since = clock.instant().toString();
    String other = HELD.putIfAbsent(file, "pid " + pid + " on host " + host + " since " + since);
    if (other != null) {
      throw inUse(config, other);
    }
    FileChannel channel = null;
    boolean locked = false;
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw inUse(config, holder(file));
      }
      String content =
          "pid=" + pid + "\nhost=" + host + "\nworker=" + workerId + "\nsince=" + since + "\n";
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(false);
      locked = true;
      return new EngineLock(file, channel, lock);
    } catch (IOException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new StoreException(
          "cannot take the engine lock "
              + file
              + " of database.url "
              + Database.redactUrl(config.url())
              + ": "
              + e,
          e);
    } finally {
      if (!locked) {
        HELD.remove(file);
      }
    }
  }

  private static StoreException inUse(DatabaseConfig config, String holder) {
    return new StoreException(
        "database.url "
            + Database.redactUrl(config.url())
            + " is in use by another paritysync engine ("
            + holder
            + "): SQLite serves one engine process; to run several workers, point"
            + " database.url at PostgreSQL (see docs/scaling.md)",
        null);
  }

  /** What the holder wrote in the lock file: "pid N on host H since T" (? where unknown). */
  private static String holder(Path file) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IOException | IllegalArgumentException e) {
      // the holder may be writing it right now: say what is known
    }
    return "pid "
        + p.getProperty("pid", "?")
        + " on host "
        + p.getProperty("host", "?")
        + " since "
        + p.getProperty("since", "?");
  }

  /** The SQLite database file of {@code url}, or null for PostgreSQL and in-memory databases. */
  static @Nullable Path sqliteFile(String url) {
    if (Dialect.of(url) != Dialect.SQLITE) {
      return null;
    }
    String path = url.substring(Dialect.SQLITE.urlPrefix().length());
    int query = path.indexOf('?');
    String parameters = query < 0 ? "" : path.substring(query + 1);
    if (query >= 0) {
      path = path.substring(0, query);
    }
    if (path.startsWith("file:")) {
      path = path.substring("file:".length());
    }
    if (path.isEmpty()
        || path.equals(":memory:")
        || path.startsWith(":resource:")
        || parameters.contains("mode=memory")) {
      return null;
    }
    return Path.of(path).toAbsolutePath();
  }

  /** Releases the lock (the file stays). Idempotent. */
  @Override
  public void close() {
    FileChannel channel = this.channel;
    FileLock lock = this.lock;
    if (channel == null || lock == null) { // a lock that holds nothing
      return;
    }
    synchronized (this) {
      if (!channel.isOpen()) {
        return;
      }
      try {
        lock.release();
        channel.close();
      } catch (IOException e) {
        throw new StoreException("cannot release the engine lock " + file + ": " + e, e);
      } finally {
        HELD.remove(file);
      }
    }
  }

  @Override
  public String toString() {
    return lock == null ? "EngineLock{none}" : "EngineLock{held=" + lock.isValid() + '}';
  }
}
