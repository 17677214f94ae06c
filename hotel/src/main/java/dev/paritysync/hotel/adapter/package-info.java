/** Channel adapters: how a batch of date ranges is spoken in one channel's dialect. */
package dev.paritysync.hotel.adapter;
