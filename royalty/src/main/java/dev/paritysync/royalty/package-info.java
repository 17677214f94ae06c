/**
 * Royalty ingestion: the row model ({@link dev.paritysync.royalty.SalesRow}, {@link
 * dev.paritysync.royalty.DeadLetterRow}), per-source configuration ({@link
 * dev.paritysync.royalty.SourceConfig}) and {@link dev.paritysync.royalty.ReportIngest}, which
 * streams one report through parser and validator. Types are immutable unless they say otherwise;
 * nothing is null unless documented.
 */
@NullMarked
package dev.paritysync.royalty;

import org.jspecify.annotations.NullMarked;
