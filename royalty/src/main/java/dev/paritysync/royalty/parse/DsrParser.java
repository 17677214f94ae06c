package dev.paritysync.royalty.parse;

import dev.paritysync.royalty.Field;
import dev.paritysync.royalty.RawRow;
import dev.paritysync.royalty.SourceConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a DDEX DSR flat file line by line. Holds the headings, the summary records and the records
 * of the current block only; a block's sales rows are emitted when the block ends, joined with the
 * block's resource and release records, the summary record they name and the HEAD.
 */
final class DsrParser implements RowCursor {
  private static final Pattern RECORD_TYPE =
      Pattern.compile("HEAD|FOOT|[A-Z]{2}\\d{2}(\\.\\d{2})?");
  private static final Pattern MESSAGE_VERSION = Pattern.compile("dsrf/\\d+");

  /**
   * One record line: its cells (escaped), the heading that names them, if any, and why its fields
   * cannot be trusted, if so (more cells than its heading, or cut off at the end of the file).
   */
  private record Rec(
      String type,
      List<String> cells,
      @Nullable List<String> heading,
      long line,
      String raw,
      @Nullable String[] defect) {
    Rec(String type, List<String> cells, @Nullable List<String> heading, long line, String raw) {
      this(type, cells, heading, line, raw, new String[1]);
    }

    @Nullable String value(String column) {
      if (heading == null) {
        return null;
      }
      int i = 0;
      // Case-insensitive: real headings vary (the YouTube sample has "NumberofFiles").
      while (i < heading.size() && !heading.get(i).equalsIgnoreCase(column)) {
        i++;
      }
      if (i == heading.size() || i + 1 >= cells.size()) {
        return null;
      }
      List<String> values = DsrCells.values(cells.get(i + 1));
      return values.isEmpty() ? null : String.join(", ", values);
    }

    String base() {
      int end = type.length();
      while (end > 0 && (Character.isDigit(type.charAt(end - 1)) || type.charAt(end - 1) == '.')) {
        end--;
      }
      return type.substring(0, end);
    }
  }

  private record Heading(List<String> columns, long line) {}

  private final Inputs.Text reader;
  private final String source;
  private final String report;
  private final Defects defects;
  private final Map<Field, List<String>> columns;
  private final String salesBase;

  private final Map<String, Heading> headings = new HashMap<>();
  private final Set<String> warnedTypes = new HashSet<>();
  private final Map<String, Rec> summaries = new LinkedHashMap<>();
  private final ArrayDeque<RawRow> ready = new ArrayDeque<>();
  private @Nullable Rec head;
  private @Nullable Rec last;
  private long blankBeforeHead;
  private boolean headChecked;
  private boolean legacyHead;
  private boolean sawRecord;
  private boolean sawFoot;
  private boolean eof;
  private long line;
  private long summaryCount;
  private long blockCount;
  private @Nullable String blockId;
  private final Map<String, Rec> blockRecords = new HashMap<>();
  private final List<Rec> blockSales = new ArrayList<>();

  DsrParser(Inputs.Text reader, String report, SourceConfig config, Defects defects) {
    this.reader = reader;
    this.source = config.name();
    this.report = report;
    this.defects = defects;
    this.columns = config.columns();
    List<String> q = columns.get(Field.QUANTITY);
    if (q == null || q.isEmpty() || q.get(0).indexOf('.') < 0) {
      throw new IllegalArgumentException(
          "sources."
              + source
              + ".columns.quantity: a DSR source needs RECORD.Column, e.g. SU.Usages");
    }
    this.salesBase = q.get(0).substring(0, q.get(0).indexOf('.'));
  }

  @Override
  public boolean hasNext() {
    try {
      while (ready.isEmpty() && !eof) {
        String text = reader.readLine();
        if (text == null) {
          eof = true;
          endOfFile();
        } else {
          line++;
          accept(text);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(report + ":" + line + ": cannot read", e);
    }
    return !ready.isEmpty();
  }

  @Override
  public RawRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return ready.remove();
  }

  @Override
  public @Nullable String messageId() {
    if (head == null || legacyHead) {
      return null; // a legacy HEAD's cells do not line up with its heading: no reliable id
    }
    String id = head.value("MessageId");
    String file = head.value("FileNumber");
    // The files of one multi-file report share a MessageId.
    return id == null || file == null ? id : id + "/" + file;
  }

  @Override
  public @Nullable String incomplete() {
    return defects.incompleteness();
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }

  private void accept(String text) {
    if (text.isEmpty()) {
      if (sawRecord) {
        defects.defect(line, "blank line");
      } else if (blankBeforeHead == 0) {
        blankBeforeHead = line; // a defect only if this turns out to be a DSR file
      }
      return;
    }
    List<String> cells = DsrCells.split(text);
    String first = cells.get(0);
    if (first.startsWith("#")) {
      String type = first.substring(1);
      if (cells.size() > 1 && RECORD_TYPE.matcher(type).matches()) {
        Heading heading = new Heading(List.copyOf(cells.subList(1, cells.size())), line);
        headings.put(type, heading);
        if ("HEAD".equals(type) && head != null && !headChecked) {
          checkHeadWidth(head, heading);
        }
      }
      return; // a heading, or a comment
    }
    if (sawFoot) {
      defects.defect(line, "record " + first + " after FOOT");
    }
    if (!sawRecord) {
      sawRecord = true;
      if (!"HEAD".equals(first)) {
        throw defects.fatal(
            line,
            "file does not start with a HEAD record (found "
                + shortened(first.strip())
                + "); not a DSR file");
      }
      if (blankBeforeHead > 0) {
        defects.defect(blankBeforeHead, "blank line");
      }
    }
    if (!RECORD_TYPE.matcher(first).matches()) {
      defects.defect(line, "unknown record type " + first);
      return;
    }
    Heading heading = headings.get(first);
    Rec rec =
        new Rec(
            first, cells, heading == null ? null : heading.columns(), line, Defects.excerpt(text));
    last = rec;
    switch (first) {
      case "HEAD" -> head(rec);
      case "FOOT" -> foot(rec);
      default -> {
        checkWidth(rec, heading);
        if (rec.base().equals("SY")) {
          summaryCount++;
          String id = rec.value("SummaryRecordId");
          summaries.putIfAbsent(id == null ? "" : id, rec);
        } else {
          block(rec);
        }
      }
    }
  }

  private void head(Rec rec) {
    if (head != null) {
      defects.defect(line, "second HEAD record (first on line " + head.line() + ")");
      return;
    }
    head = rec;
    String version = rec.cells().size() > 1 ? rec.cells().get(1) : "";
    if (!MESSAGE_VERSION.matcher(version).matches()) {
      legacyHead = true;
      defects.defect(
          line,
          "legacy header: MessageVersion '"
              + version
              + "' is not dsrf/N ("
              + String.join(" ", rec.cells())
              + ")");
    }
    Heading heading = headings.get("HEAD");
    if (heading != null) {
      checkHeadWidth(rec, heading);
    }
  }

  private void checkHeadWidth(Rec rec, Heading h) {
    headChecked = true;
    Rec checked = new Rec(rec.type(), rec.cells(), h.columns(), rec.line(), rec.raw());
    head = checked;
    checkWidth(checked, h);
  }

  private void checkWidth(Rec rec, @Nullable Heading heading) {
    if (heading == null) {
      if (warnedTypes.add(rec.type())) {
        defects.defect(
            rec.line(), "record type " + rec.type() + " has no #" + rec.type() + " heading");
      }
      return;
    }
    int expected = heading.columns().size() + 1;
    int actual = rec.cells().size();
    if (actual == expected) {
      return;
    }
    boolean padded = actual > expected;
    for (int i = expected; padded && i < actual; i++) {
      padded = rec.cells().get(i).isEmpty();
    }
    String what =
        rec.type()
            + " has "
            + actual
            + " cells; heading #"
            + rec.type()
            + " on line "
            + heading.line()
            + " has "
            + expected;
    defects.defect(rec.line(), (padded ? "padded row: " : "ragged row: ") + what);
    if (actual > expected && !padded) {
      // A stray tab: every field after it is shifted, so none of the record can be trusted.
      rec.defect()[0] = "line " + rec.line() + ": " + what + ": its fields are shifted";
    }
  }

  private void block(Rec rec) {
    String id = rec.cells().size() > 1 ? rec.cells().get(1) : "";
    if (!id.equals(blockId)) {
      flushBlock();
      blockId = id;
      blockCount++;
    }
    if (rec.base().equals(salesBase)) {
      blockSales.add(rec);
    } else {
      blockRecords.putIfAbsent(rec.base(), rec);
    }
  }

  private void flushBlock() {
    for (Rec sale : blockSales) {
      ready.add(join(sale));
    }
    blockSales.clear();
    blockRecords.clear();
  }

  private RawRow join(Rec sale) {
    Map<Field, String> values = new EnumMap<>(Field.class);
    Rec[] culprit = new Rec[1];
    columns.forEach(
        (field, specs) -> {
          for (String spec : specs) {
            Rec rec = spec.startsWith("=") ? null : record(sale, spec);
            if (rec != null && rec.defect()[0] != null && culprit[0] == null) {
              culprit[0] = rec;
            }
            String v = spec.startsWith("=") ? spec.substring(1) : value(rec, spec);
            if (v != null && !v.isEmpty()) {
              values.put(field, v);
              break;
            }
          }
        });
    RawRow.Defect defect =
        culprit[0] == null
            ? null
            : new RawRow.Defect(culprit[0].type(), culprit[0].defect()[0], culprit[0].raw());
    return new RawRow(source, report, sale.line(), values, List.of(), sale.raw(), defect);
  }

  private static @Nullable String value(@Nullable Rec rec, String spec) {
    return rec == null ? null : rec.value(spec.substring(spec.indexOf('.') + 1));
  }

  /** The record a {@code RECORD.Column} spec reads for {@code sale}, or null. */
  private @Nullable Rec record(Rec sale, String spec) {
    int dot = spec.indexOf('.');
    if (dot < 0) {
      return null;
    }
    String base = spec.substring(0, dot);
    Rec rec;
    if (base.equals(salesBase)) {
      rec = sale;
    } else if (base.equals("HEAD")) {
      rec = head;
    } else if (base.equals("SY")) {
      String id = sale.value("SummaryRecordId");
      rec = id == null ? null : summaries.get(id);
      if (rec == null && summaries.size() == 1) {
        rec = summaries.values().iterator().next();
      }
    } else {
      rec = blockRecords.get(base);
    }
    return rec;
  }

  private void foot(Rec rec) {
    sawFoot = true;
    flushBlock();
    Heading heading = headings.get("FOOT");
    if (heading == null) {
      defects.defect(
          line, "record type FOOT has no #FOOT heading; reading NumberOfLinesInFile from cell 2");
    } else {
      checkWidth(rec, heading);
    }
    String lines =
        heading == null
            ? (rec.cells().size() > 1 ? rec.cells().get(1) : null)
            : rec.value("NumberOfLinesInFile");
    compare("NumberOfLinesInFile", lines, line, "lines in the file");
    if (heading != null) {
      compare(
          "NumberOfSummaryRecords",
          rec.value("NumberOfSummaryRecords"),
          summaryCount,
          "summary records");
      compare(
          "NumberOfBlocksInFile",
          rec.value("NumberOfBlocksInFile"),
          blockCount,
          "blocks in the file");
    }
  }

  private void compare(String column, @Nullable String declared, long actual, String what) {
    if (declared == null || declared.isBlank()) {
      defects.incomplete(line, "FOOT " + column + " is missing");
      return;
    }
    long n;
    try {
      n = Long.parseLong(declared.strip());
    } catch (NumberFormatException e) {
      defects.incomplete(line, "FOOT " + column + " '" + declared + "' is not a number");
      return;
    }
    if (n != actual) {
      defects.incomplete(
          line, "FOOT " + column + " says " + n + " " + what + "; the file has " + actual);
    }
  }

  private static String shortened(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }

  private void endOfFile() {
    if (!sawRecord) {
      throw defects.fatal(line, "no HEAD record: the file has no records; not a DSR file");
    }
    String truncated = reader.truncated();
    if (truncated != null) {
      defects.cutOff(line, truncated);
    }
    if (!sawFoot && last != null && !reader.endsWithLineBreak()) {
      last.defect()[0] = "line " + last.line() + " is cut off: the file ends in it, without a FOOT";
    }
    flushBlock();
    if (!sawFoot) {
      defects.incomplete(line, "no FOOT record at the end of the file");
    }
  }
}
