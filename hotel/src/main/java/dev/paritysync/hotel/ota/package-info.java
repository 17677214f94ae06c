/**
 * The OpenTravel 2015A XML channel: {@link dev.paritysync.hotel.ota.OtaEncoder} writes {@code
 * OTA_HotelAvailNotifRQ} and {@code OTA_HotelRateAmountNotifRQ} requests from ranges, {@link
 * dev.paritysync.hotel.ota.OtaResponseDecoder} reads the channel's answer ({@code Success}, {@code
 * Warnings}, {@code Errors}, SOAP faults) into a core {@link dev.paritysync.core.classify.Outcome},
 * and {@link dev.paritysync.hotel.ota.OtaErrorCodes} routes OpenTravel error codes to actions.
 * {@link dev.paritysync.hotel.adapter.OtaAdapter} ({@code adapter: ota}) puts them together as a
 * channel adapter.
 */
@NullMarked
package dev.paritysync.hotel.ota;

import org.jspecify.annotations.NullMarked;
