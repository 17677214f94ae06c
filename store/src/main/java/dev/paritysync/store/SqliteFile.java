package dev.paritysync.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The file behind a SQLite URL and its identity when first seen ({@link
 * BasicFileAttributes#fileKey()}: device and inode on Linux), so a file deleted or replaced under a
 * running engine is noticed before the next write lands in an unlinked inode that a restart would
 * never see again. Thread-safe.
 */
final class SqliteFile {
  /** Below this much free space on the file's file system a write may fail: not writable. */
  static final long MIN_FREE_BYTES = 1L << 20;

  private final Path path;
  private volatile @Nullable Object key;

  private SqliteFile(Path path) {
    this.path = path;
    this.key = keyOf(path);
  }

  /** The file of {@code url}, or null for an in-memory or resource database. */
  static @Nullable SqliteFile of(String url) {
    Path path = pathOf(url);
    return path == null ? null : new SqliteFile(path);
  }

  /** The file a {@code jdbc:sqlite:} URL names, or null when it names none. */
  static @Nullable Path pathOf(String url) {
    String path = url.substring(Dialect.SQLITE.urlPrefix().length());
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    if (path.startsWith("file:")) {
      path = path.substring("file:".length());
    }
    if (path.isEmpty() || path.equals(":memory:") || path.startsWith(":resource:")) {
      return null;
    }
    return Path.of(path).toAbsolutePath();
  }

  /**
   * @throws StoreException naming {@code what} and the file when it no longer exists, or another
   *     file now has its name
   */
  void verify(String what) {
    Object now = keyOf(path);
    if (now == null) {
      throw new StoreException(
          "database "
              + what
              + ": file "
              + path
              + " was deleted while open; writes stop here so that none is lost in it (restore"
              + " the file, or restart to create a new one)",
          null);
    }
    Object seen = key;
    if (seen == null) {
      key = now; // not there when opened (created by the first connection): this is it
    } else if (!Objects.equals(seen, now)) {
      throw new StoreException(
          "database "
              + what
              + ": file "
              + path
              + " was replaced by another file while open; writes stop here (restart to open"
              + " the new one)",
          null);
    }
  }

  /**
   * @throws StoreException naming {@code what}, the file and the free space when its file system
   *     has less than {@link #MIN_FREE_BYTES} left
   */
  void verifyRoom(String what) {
    long free;
    try {
      free = Files.getFileStore(path).getUsableSpace();
    } catch (IOException e) {
      throw new StoreException("cannot read the free space beside database file " + path, e);
    }
    if (free < MIN_FREE_BYTES) {
      throw new StoreException(
          "database "
              + what
              + ": the file system of "
              + path
              + " has "
              + free
              + " bytes free; writes fail until room is made",
          null);
    }
  }

  private static @Nullable Object keyOf(Path path) {
    try {
      BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
      return a.fileKey() != null ? a.fileKey() : a.creationTime();
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new StoreException("cannot read the attributes of database file " + path, e);
    }
  }
}
