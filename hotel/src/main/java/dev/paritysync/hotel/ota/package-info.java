/**
 * The OpenTravel 2015A XML channel: {@link dev.paritysync.hotel.ota.OtaEncoder} writes {@code
 * OTA_HotelAvailNotifRQ} and {@code OTA_HotelRateAmountNotifRQ} requests from ranges.
 */
package dev.paritysync.hotel.ota;
