package dev.paritysync.store.cluster;

import dev.paritysync.core.auth.AccessToken;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.auth.TokenStore;
import dev.paritysync.core.time.Clock;
import dev.paritysync.store.Database;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OAuth2 token of one channel shared by the workers of a cluster, in table {@code
 * cluster_tokens}: a {@link TokenStore} for {@link
 * dev.paritysync.core.auth.OAuth2ClientCredentials.Builder#withTokenStore}, speaking for worker
 * {@code workerId}.
 *
 * <p>The token (value, type, expiry) is sealed with AES-256-GCM under a key derived from the
 * channel's client secret, which every worker has and the database never does: key =
 * HMAC-SHA256(client secret, {@code "paritysync cluster token v1\0" + channel}); a fresh 12-byte
 * random nonce per token; column {@code sealed} holds base64(nonce || ciphertext), the channel is
 * authenticated data. A row that cannot be opened (the secret was rotated) reads as no token. The
 * token and the secret are never logged.
 *
 * <p>One refresh at a time: {@link #tryBeginRefresh} is a conditional {@code UPDATE} (or the row's
 * first {@code INSERT}), atomic across processes. Thread-safe.
 */
public final class SharedTokens implements TokenStore {
  private static final Logger log = LoggerFactory.getLogger(SharedTokens.class);
  private static final String KEY_CONTEXT = "paritysync cluster token v1\0";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final byte FORMAT = 1;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Database db;
  private final Clock clock;
  private final String channel;
  private final String workerId;
  private final SecretKeySpec key;
  private volatile long unreadableGeneration = -1;

  /**
   * The token of {@code channel} for worker {@code workerId}, sealed under {@code clientSecret}.
   *
   * @throws IllegalArgumentException naming the argument when channel (200) or worker id (120
   *     characters) is blank or too long
   */
  public SharedTokens(
      Database db, Clock clock, String channel, String workerId, Secret clientSecret) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.channel = ClusterRows.checkName("token channel", channel, 200);
    this.workerId = ClusterRows.checkName("worker id", workerId, WorkerRegistry.MAX_ID_LENGTH);
    this.key = deriveKey(Objects.requireNonNull(clientSecret, "clientSecret"), channel);
  }

  private static SecretKeySpec deriveKey(Secret secret, String channel) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] derived = mac.doFinal((KEY_CONTEXT + channel).getBytes(StandardCharsets.UTF_8));
      return new SecretKeySpec(derived, "AES");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  /**
   * The stored token of this channel, possibly near or past expiry; empty when none is readable.
   */
  @Override
  public Optional<AccessToken> read() {
    Optional<Row> row = db.read(c -> Optional.ofNullable(select(c, "")));
    return row.isEmpty() ? Optional.empty() : open(row.get());
  }

  /**
   * True when no other worker refreshes this channel's token (none began, or its lease ended, or it
   * is this worker): this worker then refreshes until now + {@code lease}.
   */
  @Override
  public boolean tryBeginRefresh(Duration lease) {
    Objects.requireNonNull(lease, "lease");
    long now = clock.millis();
    long until = now + lease.toMillis();
    return db.inTransaction(
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO cluster_tokens (channel, sealed, expires_at, generation,"
                      + " refresh_owner, refresh_until, updated_at) VALUES (?, NULL, NULL, 0, ?, ?, ?)"
                      + " ON CONFLICT (channel) DO NOTHING")) {
            insert.setString(1, channel);
            insert.setString(2, workerId);
            insert.setLong(3, until);
            insert.setLong(4, now);
            if (insert.executeUpdate() == 1) {
              return true;
            }
          }
          try (PreparedStatement take =
              c.prepareStatement(
                  "UPDATE cluster_tokens SET refresh_owner = ?, refresh_until = ?, updated_at = ?"
                      + " WHERE channel = ? AND (refresh_owner IS NULL OR refresh_owner = ?"
                      + " OR refresh_until IS NULL OR refresh_until <= ?)")) {
            take.setString(1, workerId);
            take.setLong(2, until);
            take.setLong(3, now);
            take.setString(4, channel);
            take.setString(5, workerId);
            take.setLong(6, now);
            return take.executeUpdate() == 1;
          }
        });
  }

  /** Stores {@code token}, sealed, as this channel's token, and ends this worker's refresh. */
  @Override
  public void publish(AccessToken token) {
    Objects.requireNonNull(token, "token");
    String sealed = seal(token);
    long now = clock.millis();
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO cluster_tokens (channel, sealed, expires_at, generation,"
                      + " refresh_owner, refresh_until, updated_at) VALUES (?, ?, ?, 1, NULL, NULL, ?)"
                      + " ON CONFLICT (channel) DO UPDATE SET sealed = excluded.sealed,"
                      + " expires_at = excluded.expires_at,"
                      + " generation = cluster_tokens.generation + 1,"
                      + " refresh_owner = CASE WHEN cluster_tokens.refresh_owner = ? THEN NULL"
                      + " ELSE cluster_tokens.refresh_owner END,"
                      + " refresh_until = CASE WHEN cluster_tokens.refresh_owner = ? THEN NULL"
                      + " ELSE cluster_tokens.refresh_until END,"
                      + " updated_at = excluded.updated_at")) {
            ps.setString(1, channel);
            ps.setString(2, sealed);
            ps.setLong(3, token.expiresAt().toEpochMilli());
            ps.setLong(4, now);
            ps.setString(5, workerId);
            ps.setString(6, workerId);
            return ps.executeUpdate();
          }
        });
  }

  /** Ends this worker's refresh without a token; another worker's refresh is left alone. */
  @Override
  public void abandon() {
    long now = clock.millis();
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE cluster_tokens SET refresh_owner = NULL, refresh_until = NULL,"
                      + " updated_at = ? WHERE channel = ? AND refresh_owner = ?")) {
            ps.setLong(1, now);
            ps.setString(2, channel);
            ps.setString(3, workerId);
            return ps.executeUpdate();
          }
        });
  }

  /** Drops the stored token if it is still {@code rejected}; a newer one is kept. */
  @Override
  public void invalidate(AccessToken rejected) {
    Objects.requireNonNull(rejected, "rejected");
    long now = clock.millis();
    db.inTransaction(
        c -> {
          Row row = select(c, ClusterRows.lockClause(db));
          if (row == null || !open(row).filter(rejected::equals).isPresent()) {
            return 0;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE cluster_tokens SET sealed = NULL, expires_at = NULL, updated_at = ?"
                      + " WHERE channel = ? AND generation = ?")) {
            ps.setLong(1, now);
            ps.setString(2, channel);
            ps.setLong(3, row.generation());
            return ps.executeUpdate();
          }
        });
  }

  private record Row(String sealed, long generation) {}

  private @Nullable Row select(Connection c, String lockClause) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT sealed, generation FROM cluster_tokens WHERE channel = ?" + lockClause)) {
      ps.setString(1, channel);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || rs.getString("sealed") == null) {
          return null;
        }
        return new Row(rs.getString("sealed"), rs.getLong("generation"));
      }
    }
  }

  private String seal(AccessToken token) {
    try {
      ByteArrayOutputStream plain = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(plain)) {
        out.writeByte(FORMAT);
        out.writeLong(token.expiresAt().toEpochMilli());
        writeString(out, token.type());
        writeString(out, token.value());
      }
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce);
      byte[] sealed = cipher.doFinal(plain.toByteArray());
      return Base64.getEncoder()
          .encodeToString(
              ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot seal the token of channel " + channel, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Optional<AccessToken> open(Row row) {
    try {
      byte[] all = Base64.getDecoder().decode(row.sealed());
      if (all.length <= NONCE_BYTES) {
        throw new GeneralSecurityException("too short");
      }
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(all, NONCE_BYTES));
      byte[] plain = cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain))) {
        if (in.readByte() != FORMAT) {
          throw new GeneralSecurityException("unknown format");
        }
        Instant expiresAt = Instant.ofEpochMilli(in.readLong());
        String type = readString(in);
        return Optional.of(new AccessToken(readString(in), type, expiresAt));
      }
    } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
      if (unreadableGeneration != row.generation()) {
        unreadableGeneration = row.generation();
        log.warn(
            "the shared token of channel {} (generation {}) cannot be opened with this client"
                + " secret (rotated?): treated as none until a new one is stored",
            channel,
            row.generation());
      }
      return Optional.empty();
    }
  }

  private Cipher cipher(int mode, byte[] nonce) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(channel.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > in.available()) {
      throw new IOException("bad length " + length);
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "SharedTokens{channel=" + channel + ", workerId=" + workerId + '}';
  }
}
