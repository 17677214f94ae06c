/**
 * Row validation: {@link dev.paritysync.royalty.validate.RowValidator} and the rules it applies
 * (ISRC, UPC/EAN, territory, usage period), each usable alone and thread-safe.
 */
@NullMarked
package dev.paritysync.royalty.validate;

import org.jspecify.annotations.NullMarked;
