/**
 * The HTTP transport over the JDK client: {@link dev.paritysync.core.http.Request}s, {@link
 * dev.paritysync.core.http.Response}s and {@link dev.paritysync.core.http.Headers}, the {@link
 * dev.paritysync.core.http.Transport} that sends them within a body limit, failures classified as
 * {@link dev.paritysync.core.http.TransportException}s, body digests, redaction of secrets in what
 * is logged or stored, and W3C trace context. Types are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.paritysync.core.http;

import org.jspecify.annotations.NullMarked;
