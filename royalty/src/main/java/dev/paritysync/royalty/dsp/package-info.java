/**
 * Pulling reports from DSP APIs: {@link dev.paritysync.royalty.dsp.DspSource} fetches a report page
 * by page through the resilience core, validates every row, and commits each page's rows, dead
 * letters and checkpoint in one transaction, so a crash resumes at the next page with no duplicate
 * and no missing row. A report verified against its {@link
 * dev.paritysync.royalty.dsp.ReportManifest} goes to a {@link
 * dev.paritysync.royalty.dsp.ReportSink} (the lake); {@link dev.paritysync.royalty.dsp.PullMetrics}
 * counts the run. Types are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.royalty.dsp;

import org.jspecify.annotations.NullMarked;
