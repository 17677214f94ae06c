/**
 * Classification: an {@link dev.paritysync.core.classify.Outcome} (a status or a {@link
 * dev.paritysync.core.classify.FailureKind}, with headers and field errors) maps through the
 * declarative {@link dev.paritysync.core.classify.ClassificationTable} to exactly one {@link
 * dev.paritysync.core.classify.Action}; {@link dev.paritysync.core.classify.FieldErrors} reads the
 * {@link dev.paritysync.core.classify.FieldError}s out of an error body. Immutable and thread-safe;
 * types are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.core.classify;

import org.jspecify.annotations.NullMarked;
