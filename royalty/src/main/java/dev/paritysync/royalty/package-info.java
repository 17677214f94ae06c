/**
 * Royalty ingestion: the row model ({@link dev.paritysync.royalty.SalesRow}, {@link
 * dev.paritysync.royalty.RawRow}, {@link dev.paritysync.royalty.DeadLetterRow}), per-source
 * configuration ({@link dev.paritysync.royalty.SourceConfig}), {@link
 * dev.paritysync.royalty.ReportIngest}, which streams one report through parser and validator, and
 * {@link dev.paritysync.royalty.FileIngest}, which ingests a file into the lake and records the
 * delivery ({@link dev.paritysync.royalty.Deliveries}); dead letters are entered by {@link
 * dev.paritysync.royalty.DeadLetterWriter} and validated again by {@link
 * dev.paritysync.royalty.DeadLetterReplay}; {@link dev.paritysync.royalty.RunMetrics} names the
 * meters. Types are immutable unless they say otherwise, and non-null unless marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.royalty;

import org.jspecify.annotations.NullMarked;
