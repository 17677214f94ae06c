/**
 * {@code paritysync demo}: a demo portfolio and simulated channels, the engine run against them,
 * and the parity report it ends with.
 */
package dev.paritysync.app.demo;
