/**
 * Batching: compressing a channel's pending cells into date ranges and filling requests up to the
 * channel's limits.
 */
package dev.paritysync.hotel.batch;
