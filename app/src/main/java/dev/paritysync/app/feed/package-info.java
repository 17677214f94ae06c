/**
 * The NDJSON change feed {@code run} reads: one change per line, read by {@link
 * dev.paritysync.app.feed.FeedReader} with the line number in every error, and {@link
 * dev.paritysync.app.feed.ChangeJson}, the one JSON form of a change that the feed and {@code POST
 * /v1/changes} share. Types are non-null unless marked {@code @Nullable} (a change that did not
 * parse).
 */
@NullMarked
package dev.paritysync.app.feed;

import org.jspecify.annotations.NullMarked;
