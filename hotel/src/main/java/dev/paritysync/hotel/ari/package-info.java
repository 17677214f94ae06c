/**
 * The ARI model: the portfolio of known codes, cells, and PMS changes, with {@link
 * dev.paritysync.hotel.ari.ChangeValidator} to check changes before they are accepted.
 */
@NullMarked
package dev.paritysync.hotel.ari;

import org.jspecify.annotations.NullMarked;
