/**
 * The web UI under {@code /ui}: login sessions, CSRF-checked forms, pages rendered from jte
 * templates (compiled at build time into this package), live counts over server-sent events and
 * htmx served from its WebJar. Mounted by {@link dev.paritysync.app.ui.UiRoutes}. Types are
 * non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.app.ui;

import org.jspecify.annotations.NullMarked;
