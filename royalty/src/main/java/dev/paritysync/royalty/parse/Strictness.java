package dev.paritysync.royalty.parse;

/** What a parser does with a format defect (ragged or padded rows, wrong FOOT counts, …). */
public enum Strictness {
  /** Reject the report with a {@link ReportFormatException} naming the line and the defect. */
  STRICT,
  /** Accept the report and report each defect as a {@link ParseWarning}. */
  LENIENT
}
