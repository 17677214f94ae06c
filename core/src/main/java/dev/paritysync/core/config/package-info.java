/**
 * Configuration reading: {@link dev.paritysync.core.config.ConfigMap} is a typed view of a YAML
 * mapping that names the key path in every error; {@link dev.paritysync.core.config.Durations}
 * parses the duration forms configuration files use. Types are non-null unless marked
 * {@code @Nullable} (an absent optional key).
 */
@NullMarked
package dev.paritysync.core.config;

import org.jspecify.annotations.NullMarked;
