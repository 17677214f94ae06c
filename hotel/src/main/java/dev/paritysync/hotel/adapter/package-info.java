/** Channel adapters: how a batch of date ranges is spoken in one channel's dialect. */
@NullMarked
package dev.paritysync.hotel.adapter;

import org.jspecify.annotations.NullMarked;
