/**
 * Channel configuration: parsing a channel's YAML block, secret references, code mapping and
 * unmapped-cell reports.
 */
package dev.paritysync.hotel.channel;
