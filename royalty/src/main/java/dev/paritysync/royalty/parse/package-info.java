/**
 * Lazy report parsers: {@link dev.paritysync.royalty.parse.ReportParser} opens DDEX DSR flat files,
 * Apple-style TSV and distributor CSV (plain or gzip) as a {@link
 * dev.paritysync.royalty.parse.RowCursor}; format defects are rejected ({@link
 * dev.paritysync.royalty.parse.ReportFormatException}) or reported ({@link
 * dev.paritysync.royalty.parse.ParseWarning}) by {@link dev.paritysync.royalty.parse.Strictness}.
 * {@link dev.paritysync.royalty.parse.CsvRecords} reads plain CSV records (the catalog). Types are
 * non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.royalty.parse;

import org.jspecify.annotations.NullMarked;
