/**
 * Lazy report parsers: {@link dev.paritysync.royalty.parse.ReportParser} opens DDEX DSR flat files,
 * Apple-style TSV and distributor CSV (plain or gzip) as a {@link
 * dev.paritysync.royalty.parse.RowCursor}; format defects are rejected or reported by {@link
 * dev.paritysync.royalty.parse.Strictness}.
 */
@NullMarked
package dev.paritysync.royalty.parse;

import org.jspecify.annotations.NullMarked;
