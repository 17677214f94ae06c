package dev.paritysync.royalty;

import org.jspecify.annotations.Nullable;

/**
 * What identifies one delivery of a report, so the same delivery received twice (re-uploaded,
 * re-sent under another file name, or the byte-identical "1of2"/"2of2" pair among the shared DSR
 * samples) can be recognised: the SHA-256 of the bytes as delivered and, for DSR files, the HEAD's
 * MessageId. Immutable.
 *
 * @param source the configured source name
 * @param sha256 lower-case hex SHA-256 of the bytes read (compressed bytes for a gzip file)
 * @param messageId the DSR HEAD MessageId, with {@code /FileNumber} appended when the HEAD has one
 *     (the files of a multi-file report share a MessageId); null when the format has none or the
 *     HEAD is a legacy one whose cells do not line up with its heading
 */
public record Delivery(String source, String sha256, @Nullable String messageId) {

  /** True when {@code other} is the same delivery: same source and same bytes or message id. */
  public boolean sameAs(Delivery other) {
    return source.equals(other.source)
        && (sha256.equals(other.sha256)
            || (messageId != null && messageId.equals(other.messageId)));
  }
}
