/**
 * End-to-end engine workloads: ingest, delivery and retention of the whole hotel engine on a SQLite
 * file against simulated channels over loopback HTTP, each printed next to its target.
 */
package dev.paritysync.bench.engine;
