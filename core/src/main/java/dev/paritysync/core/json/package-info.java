/**
 * {@link dev.paritysync.core.json.StrictJson}: bounded, duplicate-free JSON reading for everything
 * a client sends, with errors that name the offending path. Thread-safe; types are non-null unless
 * marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.core.json;

import org.jspecify.annotations.NullMarked;
