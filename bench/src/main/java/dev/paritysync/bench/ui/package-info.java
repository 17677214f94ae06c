/**
 * The web UI's render times: the parity heat map over a realistic SQLite file ({@link
 * dev.paritysync.bench.ui.ParityMapBench}).
 */
package dev.paritysync.bench.ui;
