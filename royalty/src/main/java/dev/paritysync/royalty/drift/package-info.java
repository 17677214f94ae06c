/**
 * The catalog and the drift rules over the lake. {@link dev.paritysync.royalty.drift.Catalog} loads
 * the label's catalog from CSV into {@code <lake>/catalog/catalog.parquet}; {@link
 * dev.paritysync.royalty.drift.DriftCheck} runs the {@link dev.paritysync.royalty.drift.Rule}s over
 * one period as DuckDB SQL; {@link dev.paritysync.royalty.drift.DriftReport} writes the findings as
 * JSON and CSV. Thresholds come from {@link dev.paritysync.royalty.drift.DriftConfig} (the {@code
 * drift:} section of the configuration). See {@code docs/royalty.md}, "Catalog and drift".
 */
@NullMarked
package dev.paritysync.royalty.drift;

import org.jspecify.annotations.NullMarked;
