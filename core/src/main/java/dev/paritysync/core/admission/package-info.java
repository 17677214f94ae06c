/**
 * The one admission gate every request to a channel passes: {@link
 * dev.paritysync.core.admission.AdmissionGate} answers "now" with a {@link
 * dev.paritysync.core.admission.Permit}, or "not now, wait this long, because" one {@link
 * dev.paritysync.core.admission.Reason} (retry budget, concurrency, circuit, pause, quota), and
 * learns from every answer. The resilient executor, the engine's delivery worker and the channel
 * readers all ask it; none decides admission on its own. Types are non-null unless marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.core.admission;

import org.jspecify.annotations.NullMarked;
