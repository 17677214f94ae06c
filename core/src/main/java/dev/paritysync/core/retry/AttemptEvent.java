package dev.paritysync.core.retry;

import dev.paritysync.core.classify.Action;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.http.CallContext;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One attempt and its classified outcome, as the ledger records it.
 *
 * @param chosenDelay the delay before the next attempt when the action retries, else null
 * @param serverDelay the wait the server asked for (Retry-After or rate-limit reset), else null
 */
public record AttemptEvent(
    CallContext context,
    Instant at,
    Outcome outcome,
    Action action,
    Duration latency,
    @Nullable Duration chosenDelay,
    @Nullable Duration serverDelay) {}
