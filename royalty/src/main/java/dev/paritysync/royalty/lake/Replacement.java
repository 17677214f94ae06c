package dev.paritysync.royalty.lake;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Swaps a report's files for new ones across many partition directories so that a crash at any
 * instant ends with either the old files or the new ones, never a part of each: a roll-forward
 * journal. Hand-written because the swap spans directories (no single rename does it) and the lake
 * is plain Parquet files that any tool may read, not a table format with its own log.
 *
 * <p>The new files are first written beside the old as {@code <name>.parquet.new}. {@link #commit}
 * then writes the journal {@code _replace-<prefix>.json} in the source directory (the list of new
 * files; written to a temporary file, forced to disk and renamed, so it exists whole or not at all)
 * — from that instant the new report is the report — and rolls it forward: deletes every {@code
 * <prefix>*.parquet} not in the list, renames each listed {@code .new} file and deletes the
 * journal. Rolling forward again is harmless, so {@link #recover} finishes a journal a crash left
 * behind, whichever step the crash interrupted; {@link Lake#open} runs it before anything reads.
 * {@code .new} files without a journal belong to a run that crashed before its commit point: the
 * report's next commit deletes them.
 *
 * <p>Readers glob {@code *.parquet}: a journal and {@code .new} files are invisible to them.
 */
final class Replacement {
  static final String NEW_SUFFIX = ".parquet.new";
  private static final String JOURNAL_PREFIX = "_replace-";
  private static final String JOURNAL_SUFFIX = ".json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Replacement() {}

  /**
   * Makes the {@code .new} files under {@code dir} whose names start with {@code prefix} the
   * report's files, replacing every {@code <prefix>*.parquet} there.
   */
  static void commit(Path dir, String prefix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return; // no old files and no new ones: an empty report of a source never written
    }
    rollForward(dir, journal(dir, prefix));
  }

  /**
   * The commit point: writes the journal naming the {@code .new} files of {@code prefix} under
   * {@code dir}, durably, and returns it. Nothing is swapped yet.
   */
  static Path journal(Path dir, String prefix) throws IOException {
    List<String> fresh =
        files(dir, prefix, NEW_SUFFIX).stream()
            .map(p -> dir.relativize(p).toString())
            .map(n -> n.substring(0, n.length() - ".new".length()))
            .sorted()
            .toList();
    Path journal = dir.resolve(JOURNAL_PREFIX + prefix + JOURNAL_SUFFIX);
    Path temp = dir.resolve(JOURNAL_PREFIX + prefix + JOURNAL_SUFFIX + ".tmp");
    Files.write(temp, JSON.writeValueAsBytes(Map.of("prefix", prefix, "files", fresh)));
    force(temp);
    Files.move(temp, journal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    force(dir);
    return journal;
  }

  /**
   * Rolls forward every journal left in the source directory {@code dir} (a commit of a report and
   * a commit of rows beside it may both have been interrupted), so a new commit starts from the
   * last committed files.
   */
  static int recover(Path dir) throws IOException {
    int done = 0;
    try (DirectoryStream<Path> journals =
        Files.newDirectoryStream(dir, JOURNAL_PREFIX + "*" + JOURNAL_SUFFIX)) {
      for (Path journal : journals) {
        rollForward(dir, journal);
        done++;
      }
    } catch (NoSuchFileException e) {
      return done;
    }
    return done;
  }

  /** Rolls forward every journal under the lake's {@code sales} directory; returns how many. */
  static int recoverAll(Path sales) {
    int done = 0;
    try (DirectoryStream<Path> sources = Files.newDirectoryStream(sales, "source=*")) {
      for (Path dir : sources) {
        done += recover(dir);
      }
    } catch (NoSuchFileException e) {
      return done;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot finish a report replacement interrupted under " + sales + ": " + e.getMessage(),
          e);
    }
    return done;
  }

  private static void rollForward(Path dir, Path journal) throws IOException {
    Map<?, ?> entry;
    try {
      entry = JSON.readValue(Files.readAllBytes(journal), Map.class);
    } catch (NoSuchFileException e) {
      return; // another process finished it
    } catch (IOException e) {
      throw new IOException("unreadable replacement journal " + journal + ": " + e.getMessage(), e);
    }
    if (!(entry.get("prefix") instanceof String prefix)
        || !(entry.get("files") instanceof List<?> listed)
        || !journal.getFileName().toString().equals(JOURNAL_PREFIX + prefix + JOURNAL_SUFFIX)) {
      throw new IOException("replacement journal " + journal + " is not one this lake wrote");
    }
    Set<Path> keep = new HashSet<>();
    for (Object name : listed) {
      Path target = dir.resolve(String.valueOf(name)).normalize();
      if (!target.startsWith(dir)) {
        throw new IOException("replacement journal " + journal + " names " + name);
      }
      keep.add(target);
    }
    for (Path old : files(dir, prefix, ".parquet")) {
      if (!keep.contains(old)) {
        Files.deleteIfExists(old);
      }
    }
    for (Path target : keep) {
      Path fresh = target.resolveSibling(target.getFileName() + ".new");
      try {
        Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (NoSuchFileException e) {
        if (!Files.exists(target)) {
          throw new IOException(
              "replacement journal " + journal + " names " + target + ", which is gone", e);
        }
      }
    }
    Files.deleteIfExists(journal);
  }

  /** The files under {@code dir} named {@code <prefix>…<suffix>}. */
  static List<Path> files(Path dir, String prefix, String suffix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(
              p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix) && n.endsWith(suffix);
              })
          .toList();
    }
  }

  private static void force(Path path) {
    // Durability of the commit point: the journal's bytes, then the directory entry naming it.
    // Some file systems refuse to open a directory for fsync; the rename is still atomic there.
    try (FileChannel c =
        FileChannel.open(
            path, Files.isDirectory(path) ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
      c.force(true);
    } catch (IOException e) {
      // best effort for directories, see above; a journal that cannot be forced fails below
      if (!Files.isDirectory(path)) {
        throw new UncheckedIOException("cannot force " + path + " to disk", e);
      }
    }
  }
}
