package dev.paritysync.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.core.time.VirtualTime;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pull-and-acknowledge reservation feed of {@link SimChannel}, over loopback HTTP. */
class ReservationFeedTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalDate ARRIVAL = LocalDate.of(2026, 1, 10);

  private final VirtualTime time = new VirtualTime();

  @Test
  void servesBookingsUntilAcknowledgedThenAnswers304() throws Exception {
    try (SimChannel sim = SimChannel.start(SimConfig.healthy(1), time)) {
      Http http = new Http(sim);
      String a = sim.book("P1", "DBL", ARRIVAL, ARRIVAL.plusDays(2));
      String b = sim.book("P1", "SGL", ARRIVAL, ARRIVAL.plusDays(1));
      assertThat(List.of(a, b)).containsExactly("RES-1", "RES-2");

      HttpResponse<String> first = http.get("/v1/reservations?since=0");
      assertThat(first.statusCode()).isEqualTo(200);
      JsonNode page = JSON.readTree(first.body());
      assertThat(page.get("cursor").asLong()).isEqualTo(2);
      assertThat(page.get("reservations")).hasSize(2);
      JsonNode r1 = page.get("reservations").get(0);
      assertThat(r1.get("id").asText()).isEqualTo("RES-1");
      assertThat(r1.get("revision").asInt()).isEqualTo(1);
      assertThat(r1.get("property").asText()).isEqualTo("P1");
      assertThat(r1.get("room").asText()).isEqualTo("DBL");
      assertThat(r1.get("arrival").asText()).isEqualTo("2026-01-10");
      assertThat(r1.get("departure").asText()).isEqualTo("2026-01-12");
      assertThat(r1.get("status").asText()).isEqualTo("new");
      String etag = first.headers().firstValue("ETag").orElseThrow();

      // not acknowledged: served again even after the cursor, with the same tag → 304
      HttpResponse<String> again = http.get("/v1/reservations?since=2", "If-None-Match", etag);
      assertThat(again.statusCode()).isEqualTo(304);
      assertThat(again.body()).isEmpty();

      // acknowledge only RES-1: RES-2 is still served
      HttpResponse<String> ack =
          http.post("/v1/reservations/ack", "{\"received\":[{\"id\":\"RES-1\",\"revision\":1}]}");
      assertThat(ack.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(ack.body()).get("acknowledged").asInt()).isEqualTo(1);
      assertThat(sim.isAcknowledged("RES-1", 1)).isTrue();
      HttpResponse<String> rest = http.get("/v1/reservations?since=2", "If-None-Match", etag);
      assertThat(rest.statusCode()).isEqualTo(200);
      assertThat(ids(rest)).containsExactly("RES-2");

      http.post("/v1/reservations/ack", "{\"received\":[{\"id\":\"RES-2\",\"revision\":1}]}");
      HttpResponse<String> idle = http.get("/v1/reservations?since=2");
      assertThat(ids(idle)).isEmpty();
      String idleTag = idle.headers().firstValue("ETag").orElseThrow();
      assertThat(http.get("/v1/reservations?since=2", "If-None-Match", idleTag).statusCode())
          .isEqualTo(304);
      assertThat(sim.ackRequests()).isEqualTo(2);
      assertThat(sim.acknowledgements()).isEqualTo(2);
    }
  }

  @Test
  void modificationsAndCancellationsAreNewRevisions() throws Exception {
    try (SimChannel sim = SimChannel.start(SimConfig.healthy(1), time)) {
      Http http = new Http(sim);
      String id = sim.book("P1", "DBL", ARRIVAL, ARRIVAL.plusDays(2));
      http.post("/v1/reservations/ack", "{\"received\":[{\"id\":\"RES-1\",\"revision\":1}]}");
      assertThat(sim.modify(id, "SGL", ARRIVAL, ARRIVAL.plusDays(3))).isEqualTo(2);
      JsonNode modified = JSON.readTree(http.get("/v1/reservations?since=1").body());
      assertThat(modified.get("reservations").get(0).get("status").asText()).isEqualTo("modified");
      assertThat(modified.get("reservations").get(0).get("room").asText()).isEqualTo("SGL");
      assertThat(sim.cancel(id)).isEqualTo(3);
      JsonNode cancelled = JSON.readTree(http.get("/v1/reservations?since=2").body());
      assertThat(cancelled.get("reservations")).hasSize(1);
      assertThat(cancelled.get("reservations").get(0).get("revision").asInt()).isEqualTo(3);
      assertThat(cancelled.get("reservations").get(0).get("status").asText())
          .isEqualTo("cancelled");
      assertThatThrownBy(() -> sim.cancel(id)).hasMessage("reservation RES-1 is cancelled");
      assertThatThrownBy(() -> sim.modify("RES-9", "DBL", ARRIVAL, ARRIVAL.plusDays(1)))
          .hasMessage("no reservation RES-9; known: [RES-1]");
      assertThatThrownBy(() -> sim.book("P1", "DBL", ARRIVAL, ARRIVAL))
          .hasMessage("departure 2026-01-10 must be after arrival 2026-01-10");
    }
  }

  @Test
  void droppedAcksAreServedAgain() throws Exception {
    try (SimChannel sim = SimChannel.start(SimConfig.healthy(1), time)) {
      Http http = new Http(sim);
      sim.book("P1", "DBL", ARRIVAL, ARRIVAL.plusDays(1));
      sim.setDropAcks(true);
      HttpResponse<String> ack =
          http.post("/v1/reservations/ack", "{\"received\":[{\"id\":\"RES-1\",\"revision\":1}]}");
      assertThat(ack.statusCode()).isEqualTo(200);
      assertThat(sim.acknowledgements()).isZero();
      assertThat(ids(http.get("/v1/reservations?since=1"))).containsExactly("RES-1");
    }
  }

  @Test
  void badInputIs400NamingTheCulprit() throws Exception {
    try (SimChannel sim = SimChannel.start(SimConfig.healthy(1), time)) {
      Http http = new Http(sim);
      HttpResponse<String> since = http.get("/v1/reservations?since=yesterday");
      assertThat(since.statusCode()).isEqualTo(400);
      assertThat(since.body())
          .contains("\"parameter\":\"since\"")
          .contains("'yesterday' is not a cursor");
      HttpResponse<String> ack = http.post("/v1/reservations/ack", "{\"ids\":[1]}");
      assertThat(ack.statusCode()).isEqualTo(400);
      assertThat(ack.body()).contains("/received: required");
    }
  }

  @Test
  void feedSharesTheReadQuotaAndTheFaults() throws Exception {
    SimConfig config = SimConfig.healthy(1).toBuilder().withQuota("read", "2/1m").build();
    try (SimChannel sim = SimChannel.start(config, time)) {
      Http http = new Http(sim);
      assertThat(http.get("/v1/reservations").statusCode()).isEqualTo(200);
      assertThat(http.post("/v1/reservations/ack", "{\"received\":[]}").statusCode())
          .isEqualTo(200);
      HttpResponse<String> limited = http.get("/v1/reservations");
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.headers().firstValue("Retry-After")).isPresent();
      time.advance(Duration.ofMinutes(1));
      assertThat(http.get("/v1/reservations").statusCode()).isEqualTo(200);
    }
    SimConfig faulty = SimConfig.healthy(3).toBuilder().withP503(0.5).build();
    try (SimChannel sim = SimChannel.start(faulty, time)) {
      Http http = new Http(sim);
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        statuses.add(http.get("/v1/reservations").statusCode());
      }
      assertThat(statuses).contains(200, 503);
    }
  }

  private static List<String> ids(HttpResponse<String> r) throws Exception {
    List<String> out = new ArrayList<>();
    JSON.readTree(r.body()).get("reservations").forEach(n -> out.add(n.get("id").asText()));
    return out;
  }
}
