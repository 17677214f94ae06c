/**
 * The catalog and the drift rules over the lake. {@link dev.paritysync.royalty.drift.Catalog} loads
 * the label's catalog from CSV into {@code <lake>/catalog/catalog.parquet}; {@link
 * dev.paritysync.royalty.drift.DriftReport} runs the {@link dev.paritysync.royalty.drift.Rule}s
 * over one period as DuckDB SQL (the package-private {@code DriftCheck}) and writes the {@link
 * dev.paritysync.royalty.drift.Finding}s as JSON and CSV; {@link
 * dev.paritysync.royalty.drift.DriftRuns} keeps each check's counts and top findings in the store.
 * Thresholds come from {@link dev.paritysync.royalty.drift.DriftConfig} (the {@code drift:} section
 * of the configuration). See {@code docs/royalty.md}, "Catalog and drift". Types are non-null
 * unless marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.royalty.drift;

import org.jspecify.annotations.NullMarked;
