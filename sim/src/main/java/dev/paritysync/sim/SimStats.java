package dev.paritysync.sim;

import java.util.Map;

/**
 * A snapshot of what a {@link SimChannel} has seen. Counts cover the ARI API ({@code
 * /v1/properties/...}); token requests are counted apart; {@code GET /v1/stats} is not counted.
 *
 * @param requests ARI requests received, including those answered with a fault or a reset
 * @param byStatus ARI responses by HTTP status (resets have none and are not here)
 * @param throttled 429 responses, from quotas and from the fault dice
 * @param resets connections closed without a response
 * @param slowResponses responses held back by the configured slow delay
 * @param tokenRequests requests to {@code POST /oauth/token}, successful or not
 * @param cellsApplied cells written, summed over every application
 * @param unkeyedApplications POST bodies applied that carried no {@code Idempotency-Key}
 * @param applicationsByKey per idempotency key, how many times its body was applied
 * @param doubleApplications keys applied more than once (0 for a correct client and server)
 * @param requestsDuringAnnouncedWait requests for a property and endpoint kind that arrived before
 *     the wait this channel announced for them (a Retry-After, or a reset with nothing remaining)
 *     was over; 0 for a client that honours them
 */
public record SimStats(
    long requests,
    Map<Integer, Long> byStatus,
    long throttled,
    long resets,
    long slowResponses,
    long tokenRequests,
    long cellsApplied,
    long unkeyedApplications,
    Map<String, Integer> applicationsByKey,
    long doubleApplications,
    long requestsDuringAnnouncedWait) {

  public SimStats {
    byStatus = Map.copyOf(byStatus);
    applicationsByKey = Map.copyOf(applicationsByKey);
  }

  /** Responses with {@code status}, 0 when none. */
  public long count(int status) {
    return byStatus.getOrDefault(status, 0L);
  }
}
