package dev.paritysync.core.retry;

import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.http.Response;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an attempt produced: the classifier's view ({@link Outcome}) and the raw response kept as
 * evidence for dead letters (null for transport failures).
 */
public record Exchanged(Outcome outcome, @Nullable Response response) {
  public Exchanged {
    Objects.requireNonNull(outcome, "outcome");
  }
}
