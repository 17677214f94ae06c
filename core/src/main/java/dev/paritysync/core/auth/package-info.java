/**
 * Credentials: {@link dev.paritysync.core.auth.Secret}s that never print, OAuth2 client credentials
 * ({@link dev.paritysync.core.auth.OAuth2ClientCredentials}) with one token refresh at a time, and
 * the {@link dev.paritysync.core.auth.TokenStore}s that keep an {@link
 * dev.paritysync.core.auth.AccessToken} (in memory, or guarded and shared through the store).
 *
 * <p>Types are non-null unless marked {@code @Nullable}; expiry is read from an injected {@link
 * dev.paritysync.core.time.Clock}.
 */
@NullMarked
package dev.paritysync.core.auth;

import org.jspecify.annotations.NullMarked;
