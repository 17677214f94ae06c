/**
 * Channel adapters: how a batch of date ranges is spoken in one channel's dialect. A {@link
 * dev.paritysync.hotel.adapter.ChannelAdapter} encodes a batch into one or more requests, decodes
 * the channel's answer into a core outcome and, when the channel can be read back, gives a {@link
 * dev.paritysync.hotel.adapter.ChannelAdapter.Reader} of its snapshots. The dialects are the
 * simulator's native JSON, Channex-style JSON, Cloudbeds and OpenTravel XML; {@link
 * dev.paritysync.hotel.adapter.Adapters} names them for a channel's {@code adapter:} key. Types are
 * non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.hotel.adapter;

import org.jspecify.annotations.NullMarked;
