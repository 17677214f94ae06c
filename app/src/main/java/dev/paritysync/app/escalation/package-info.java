/**
 * Escalation: notifications to people (webhook posts) when drift, an open circuit or dead letters
 * pass a configured threshold, each sent once per episode and recorded. Types are non-null unless
 * marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.app.escalation;

import org.jspecify.annotations.NullMarked;
