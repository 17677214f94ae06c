/**
 * Server-requested waits: {@code Retry-After} (seconds or any of the three HTTP-date forms), the
 * {@code RateLimit-*} / {@code X-RateLimit-*} quota headers, the wait a server asked for, and the
 * ceiling above which a wait is dead-lettered rather than honoured. Nothing here reads a clock: the
 * current instant is a parameter. Every type is immutable or stateless, and thread-safe.
 */
@NullMarked
package dev.paritysync.core.headers;

import org.jspecify.annotations.NullMarked;
