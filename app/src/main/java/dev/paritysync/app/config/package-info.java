/**
 * The engine configuration file: {@link dev.paritysync.app.config.EngineFileConfig} and its
 * sections (server, polling, retention, cluster, reconciliation; channels, portfolio), with {@code
 * ${NAME}} environment substitution in values (secrets take {@code ${env:NAME}} references
 * instead). Every error names the key path. Types are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.app.config;

import org.jspecify.annotations.NullMarked;
