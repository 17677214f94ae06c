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
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * Streams one report through parser and validator: each valid row goes to {@code valid}, each
 * invalid one to {@code deadLetters}, each accepted format defect to {@code warnings}, one row at a
 * time, so memory does not grow with the report. Stateless and thread-safe; the sinks are called on
 * the calling thread.
 */
public final class ReportIngest {
  private ReportIngest() {}

  /**
   * Reads {@code in} (plain or gzip) to the end and closes it.
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
    RowValidator validator = new RowValidator(config);
    long[] warned = new long[1];
    long read = 0;
    long ok = 0;
    long dead = 0;
    Consumer<ParseWarning> counting =
        w -> {
          warned[0]++;
          warnings.accept(w);
        };
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    DigestInputStream digesting = new DigestInputStream(in, sha256);
    String messageId;
    String incomplete;
    try (RowCursor rows = ReportParser.open(digesting, report, config, strictness, counting)) {
      while (rows.hasNext()) {
        RawRow raw = rows.next();
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
      messageId = rows.messageId();
      incomplete = rows.incomplete();
      digesting.transferTo(OutputStream.nullOutputStream()); // bytes after the parser's last read
    }
    Delivery delivery =
        new Delivery(config.name(), HexFormat.of().formatHex(sha256.digest()), messageId);
    return new RunSummary(read, ok, dead, warned[0], delivery, incomplete);
  }
}
