/**
 * Quotas per channel: a {@link dev.paritysync.core.quota.QuotaLimit} (capacity per period) for a
 * {@link dev.paritysync.core.quota.QuotaKey}, counted in {@link
 * dev.paritysync.core.quota.QuotaWindows} and in-flight {@link
 * dev.paritysync.core.quota.QuotaFlights}, behind a {@link dev.paritysync.core.quota.QuotaGate}
 * that is local or shared through the store. Time comes from an injected {@link
 * dev.paritysync.core.time.Clock}. Types are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.core.quota;

import org.jspecify.annotations.NullMarked;
