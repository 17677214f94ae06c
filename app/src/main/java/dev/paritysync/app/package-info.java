/**
 * The commands: {@link dev.paritysync.app.Main} and one {@code *Command} per command (picocli),
 * {@link dev.paritysync.app.EngineHost}, which builds and runs the hotel engine from the
 * configuration file, and {@link dev.paritysync.app.Singletons}, the work one worker of a cluster
 * holds at a time. This is the only package that wires every module together. Types are non-null
 * unless marked {@code @Nullable}; an option picocli may leave unset (not required, no default) is
 * {@code @Nullable} ({@code OptionNullnessTest} checks it).
 */
@NullMarked
package dev.paritysync.app;

import org.jspecify.annotations.NullMarked;
