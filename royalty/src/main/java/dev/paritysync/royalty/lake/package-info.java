/**
 * The Parquet lake: valid rows partitioned by source, territory and period, written and read
 * through an embedded DuckDB ({@link dev.paritysync.royalty.lake.Lake}).
 */
@NullMarked
package dev.paritysync.royalty.lake;

import org.jspecify.annotations.NullMarked;
