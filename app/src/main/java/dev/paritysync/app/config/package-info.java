/**
 * The engine configuration file: {@link dev.paritysync.app.config.EngineFileConfig} and its
 * sections (server, polling, retention), with {@code ${env:NAME}} substitution. Every error names
 * the key path.
 */
package dev.paritysync.app.config;
