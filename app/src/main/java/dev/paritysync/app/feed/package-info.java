/**
 * The NDJSON change feed {@code run} reads: one change per line, read by {@link
 * dev.paritysync.app.feed.FeedReader} with the line number in every error.
 */
package dev.paritysync.app.feed;
