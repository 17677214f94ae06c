/**
 * The HTTP server of {@code serve} (Javalin): one {@code *Routes} class per area (changes, admin,
 * health, metrics, webhooks, reservations, OpenAPI), problem documents for every error ({@link
 * dev.paritysync.app.server.ProblemException}), request limits ({@link
 * dev.paritysync.app.server.ApiLimits}), bearer tokens and the group committer that commits
 * concurrent change requests together. Types are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.app.server;

import org.jspecify.annotations.NullMarked;
