package dev.paritysync.royalty;

import dev.paritysync.royalty.parse.ParseWarning;
import dev.paritysync.royalty.parse.ReportParser;
import dev.paritysync.royalty.parse.RowCursor;
import dev.paritysync.royalty.parse.Strictness;
import dev.paritysync.royalty.validate.RowValidator;
import dev.paritysync.royalty.validate.Validated;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Streams one report through parser and validator: each valid row goes to {@code valid}, each
 * invalid one to {@code deadLetters}, each accepted format defect to {@code warnings}, so memory
 * does not grow with the report. The parser runs on a thread of its own (from the given {@link
 * ThreadFactory}, by default a daemon thread) and hands rows over in batches of {@value #BATCH}
 * through a queue of {@value #QUEUED} batches, while the calling thread validates them and calls
 * {@code valid} and {@code deadLetters}: on two cores, parsing and validating overlap. The parser
 * runs at most a few hundred rows ahead, so the bytes read still say how far the rows got. {@code
 * warnings} is called on the parser's thread. Stateless and thread-safe.
 */
public final class ReportIngest {
  static final int BATCH = 128;
  static final int QUEUED = 2;

  private static final ThreadFactory DAEMONS =
      r -> {
        Thread t = new Thread(r, "royalty-parser");
        t.setDaemon(true);
        return t;
      };

  private ReportIngest() {}

  /**
   * Reads {@code in} (plain or gzip) to the end and closes it, parsing on a daemon thread.
   *
   * @return the counts of the run
   * @throws dev.paritysync.royalty.parse.ReportFormatException on a defect in strict mode, or a
   *     configured column missing from the header
   */
  public static RunSummary ingest(
      InputStream in,
      String report,
      SourceConfig config,
      Strictness strictness,
      Consumer<SalesRow> valid,
      Consumer<DeadLetterRow> deadLetters,
      Consumer<ParseWarning> warnings)
      throws IOException {
    return ingest(in, report, config, strictness, valid, deadLetters, warnings, DAEMONS);
  }

  /** As above, parsing on a thread from {@code threads}. */
  public static RunSummary ingest(
      InputStream in,
      String report,
      SourceConfig config,
      Strictness strictness,
      Consumer<SalesRow> valid,
      Consumer<DeadLetterRow> deadLetters,
      Consumer<ParseWarning> warnings,
      ThreadFactory threads)
      throws IOException {
    RowValidator validator = new RowValidator(config);
    Parsing parsing = new Parsing(in, report, config, strictness, warnings);
    Thread parser = threads.newThread(parsing);
    parser.start();
    long read = 0;
    long ok = 0;
    long dead = 0;
    boolean finished = false;
    try {
      while (true) {
        Object next = parsing.queue.take();
        if (next instanceof End end) {
          finished = true;
          end.rethrow();
          String sha256 =
              Objects.requireNonNull(end.sha256, () -> "no checksum after parsing " + report);
          Delivery delivery = new Delivery(config.name(), sha256, end.messageId);
          return new RunSummary(read, ok, dead, end.warned, delivery, end.incomplete);
        }
        @SuppressWarnings("unchecked")
        List<RawRow> batch = (List<RawRow>) next;
        for (RawRow raw : batch) {
          read++;
          Validated v = validator.validate(raw);
          if (v instanceof Validated.Valid good) {
            ok++;
            valid.accept(good.row());
          } else if (v instanceof Validated.Invalid bad) {
            dead++;
            deadLetters.accept(bad.deadLetter());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while ingesting " + report);
    } finally {
      if (!finished) {
        parser.interrupt(); // a sink failed: the parser stops at its next hand-over
      }
      joinQuietly(parser);
    }
  }

  private static void joinQuietly(Thread parser) {
    boolean interrupted = false;
    while (true) {
      try {
        parser.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The end of the parser's work: what it found, or what it threw. */
  private static final class End {
    private @Nullable String sha256; // set once the parser read every byte
    private @Nullable String messageId;
    private @Nullable String incomplete;
    private long warned;
    private @Nullable Throwable failure;

    void rethrow() throws IOException {
      if (failure instanceof IOException e) {
        throw e;
      }
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      if (failure != null) {
        throw new IllegalStateException(failure);
      }
    }
  }

  /** Parses the report and hands its rows over in batches, then an {@link End}. */
  private static final class Parsing implements Runnable {
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUED);
    private final InputStream in;
    private final String report;
    private final SourceConfig config;
    private final Strictness strictness;
    private final Consumer<ParseWarning> warnings;
    private List<RawRow> pending = new ArrayList<>(BATCH);

    Parsing(
        InputStream in,
        String report,
        SourceConfig config,
        Strictness strictness,
        Consumer<ParseWarning> warnings) {
      this.in = in;
      this.report = report;
      this.config = config;
      this.strictness = strictness;
      this.warnings = warnings;
    }

    @Override
    public void run() {
      End end = new End();
      try {
        parse(end);
      } catch (InterruptedException e) {
        return; // the consumer gave up; nobody waits for the end
      } catch (Throwable t) {
        end.failure = t;
      }
      try {
        if (!pending.isEmpty()) {
          queue.put(pending); // the rows before a failure still reach the sinks, as they did
        }
        queue.put(end);
      } catch (InterruptedException e) {
        // the consumer gave up
      }
    }

    private void parse(End end) throws IOException, InterruptedException {
      MessageDigest sha256;
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JVM has SHA-256", e);
      }
      DigestInputStream digesting = new DigestInputStream(in, sha256);
      Consumer<ParseWarning> counting =
          w -> {
            end.warned++;
            warnings.accept(w);
          };
      try (RowCursor rows = ReportParser.open(digesting, report, config, strictness, counting)) {
        while (rows.hasNext()) {
          pending.add(rows.next());
          if (pending.size() == BATCH) {
            queue.put(pending);
            pending = new ArrayList<>(BATCH);
          }
        }
        end.messageId = rows.messageId();
        end.incomplete = rows.incomplete();
        digesting.transferTo(OutputStream.nullOutputStream()); // bytes after the parser's last read
      }
      end.sha256 = HexFormat.of().formatHex(sha256.digest());
    }
  }
}
