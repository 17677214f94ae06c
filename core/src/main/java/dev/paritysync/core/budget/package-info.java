/**
 * The retry budget: {@link dev.paritysync.core.budget.RetryBudget} allows retries as a share of the
 * requests in a sliding window, so failures never multiply load. Time comes from an injected {@link
 * dev.paritysync.core.time.Clock}. Types are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.core.budget;

import org.jspecify.annotations.NullMarked;
