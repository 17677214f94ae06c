/**
 * Batching: compressing a channel's pending cells into date ranges and filling requests up to the
 * channel's limits.
 */
@NullMarked
package dev.paritysync.hotel.batch;

import org.jspecify.annotations.NullMarked;
