/**
 * {@code paritysync demo}: a demo portfolio and simulated channels, the engine run against them,
 * and the parity report it ends with. Types are non-null unless marked {@code @Nullable} (the
 * database file, kept only when one is given).
 */
@NullMarked
package dev.paritysync.app.demo;

import org.jspecify.annotations.NullMarked;
