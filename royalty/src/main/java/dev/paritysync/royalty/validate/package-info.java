/**
 * Row validation: {@link dev.paritysync.royalty.validate.RowValidator} turns a raw row into a
 * {@link dev.paritysync.royalty.validate.Validated} outcome with the rules it applies (ISRC,
 * UPC/EAN, territory, usage period), each usable alone and thread-safe. A missing field value is
 * null, and each rule says what it makes of it. Types are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.royalty.validate;

import org.jspecify.annotations.NullMarked;
