package dev.paritysync.sim;

import java.time.Duration;
import java.util.List;
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
 * @param requestsDuringAnnouncedWait requests for a property and endpoint kind that arrived after
 *     this channel announced a wait for them (a Retry-After, or a reset with nothing remaining) and
 *     before it was over; 0 for a client that honours them. Requests arriving at the very instant
 *     of the announcement are not counted; those arriving a little later may still have been sent
 *     before the client could know (several requests in flight at once, or several processes that
 *     share what they learn): {@link #requestsDuringAnnouncedWait(Duration)} leaves them out
 * @param quotaRefusals 429 responses answered because the quota of the request's property and
 *     endpoint kind was spent; a subset of {@code throttled}, which also counts the fault dice's
 *     429s. 0 for a client that keeps within the quota
 * @param peakRequestsPerWindow per quota window of each (property, endpoint kind) that received a
 *     request, keyed {@code "property/kind N/period"} (e.g. {@code "P1/ari 10/PT1M"}), the most
 *     requests one window of it received, refused ones included (requests refused before the quota,
 *     by auth, are not). The windows are the simulator's own: fixed, from the first request of the
 *     key. A client within the quota never has a value above the window's {@code N}
 * @param tokensIssued tokens {@code POST /oauth/token} handed out (its 200 answers): how often the
 *     clients refreshed, where {@code tokenRequests} also counts refused requests
 * @param tokensIssuedAtNanos when each of the first 10,000 tokens was issued, in nanoseconds of the
 *     channel's clock since it started, in order: clients that share one token and refresh it once
 *     per lifetime leave about a lifetime between two
 * @param lateInAnnouncedWaitNanos for the first 10,000 requests counted in {@code
 *     requestsDuringAnnouncedWait}, how long after the announcement each arrived, in nanoseconds of
 *     the channel's clock, in arrival order
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
    long requestsDuringAnnouncedWait,
    long quotaRefusals,
    Map<String, Long> peakRequestsPerWindow,
    long tokensIssued,
    List<Long> tokensIssuedAtNanos,
    List<Long> lateInAnnouncedWaitNanos) {

  /**
   * How many arrival delays {@link #lateInAnnouncedWaitNanos}, and issue times {@link
   * #tokensIssuedAtNanos}, keep at most.
   */
  public static final int MAX_KEPT = 10_000;

  public SimStats {
    byStatus = Map.copyOf(byStatus);
    applicationsByKey = Map.copyOf(applicationsByKey);
    peakRequestsPerWindow = Map.copyOf(peakRequestsPerWindow);
    tokensIssuedAtNanos = List.copyOf(tokensIssuedAtNanos);
    lateInAnnouncedWaitNanos = List.copyOf(lateInAnnouncedWaitNanos);
  }

  /** Responses with {@code status}, 0 when none. */
  public long count(int status) {
    return byStatus.getOrDefault(status, 0L);
  }

  /**
   * The largest value of {@link #peakRequestsPerWindow}: the most requests any (property, endpoint
   * kind) received within one of its quota windows; 0 when no request met a quota.
   */
  public long maxRequestsInWindow() {
    return peakRequestsPerWindow.values().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  /**
   * The shortest time between two tokens issued one after the other (of {@link
   * #tokensIssuedAtNanos}); empty when fewer than two were issued.
   */
  public java.util.Optional<Duration> shortestTokenInterval() {
    long shortest = Long.MAX_VALUE;
    for (int i = 1; i < tokensIssuedAtNanos.size(); i++) {
      shortest = Math.min(shortest, tokensIssuedAtNanos.get(i) - tokensIssuedAtNanos.get(i - 1));
    }
    return shortest == Long.MAX_VALUE
        ? java.util.Optional.empty()
        : java.util.Optional.of(Duration.ofNanos(shortest));
  }

  /**
   * The requests of {@link #requestsDuringAnnouncedWait} that arrived more than {@code grace} after
   * the announcement: those a client had time to learn of, for a client that needs up to {@code
   * grace} to act on an answer (read it, and share it with the other processes of a cluster).
   * Requests beyond the {@value #MAX_KEPT} whose delay was kept all count.
   */
  public long requestsDuringAnnouncedWait(Duration grace) {
    long g = grace.toNanos();
    long late = lateInAnnouncedWaitNanos.stream().filter(n -> n > g).count();
    return late + Math.max(0, requestsDuringAnnouncedWait - lateInAnnouncedWaitNanos.size());
  }
}
