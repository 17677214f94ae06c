/**
 * Channel configuration: parsing a channel's YAML block, secret references, code mapping and
 * unmapped-cell reports.
 */
@NullMarked
package dev.paritysync.hotel.channel;

import org.jspecify.annotations.NullMarked;
