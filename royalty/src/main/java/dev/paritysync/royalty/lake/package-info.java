/**
 * The Parquet lake: valid rows partitioned by source, territory and period, written and read
 * through an embedded DuckDB ({@link dev.paritysync.royalty.lake.Lake}); {@link
 * dev.paritysync.royalty.lake.ReportWriter} stages one report's rows and swaps its files in through
 * a roll-forward journal, so a crash leaves the old files or the new ones; {@link
 * dev.paritysync.royalty.lake.LakeSchema} defines the columns and paths every reader builds on.
 * Types are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.royalty.lake;

import org.jspecify.annotations.NullMarked;
