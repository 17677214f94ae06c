package dev.paritysync.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.core.time.VirtualTime;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The simulated DSP over real HTTP on loopback. */
class SimDspTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private HttpResponse<String> get(SimDsp dsp, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(dsp.baseUri() + path))
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void pagesCoverEveryRowOnceAndMatchTheManifestChecksum() throws Exception {
    SimDspConfig config =
        SimDspConfig.newBuilder()
            .withSeed(7)
            .withRowsPerReport(523)
            .withReportsPerPeriod(3)
            .withInvalidRate(0.1)
            .build();
    try (SimDsp dsp = SimDsp.start(config, new VirtualTime())) {
      JsonNode list = JSON.readTree(get(dsp, "/v1/reports?period=2026-03").body());
      assertThat(list.get("reports")).hasSize(3);
      JsonNode first = list.get("reports").get(0);
      assertThat(first.get("id").asText()).isEqualTo("rpt-2026-03-1");
      assertThat(first.get("rows").asInt()).isEqualTo(523);
      assertThat(first.get("checksumAlgorithm").asText()).isEqualTo("sha256-canonical-v1");

      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      Set<Long> seen = new HashSet<>();
      String cursor = null;
      int pages = 0;
      do {
        String path =
            "/v1/reports/rpt-2026-03-1/rows?limit=100"
                + (cursor == null ? "" : "&cursor=" + cursor);
        JsonNode page = JSON.readTree(get(dsp, path).body());
        for (JsonNode row : page.get("rows")) {
          assertThat(seen.add(row.get("row").asLong())).isTrue();
          Map<String, Object> fields = new LinkedHashMap<>();
          row.fields()
              .forEachRemaining(
                  e ->
                      fields.put(
                          e.getKey(),
                          e.getValue().isNumber() ? e.getValue().asLong() : e.getValue().asText()));
          sha.update(DspRows.canonical(fields).getBytes(StandardCharsets.UTF_8));
        }
        cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        pages++;
      } while (cursor != null);
      assertThat(pages).isEqualTo(6);
      assertThat(seen).hasSize(523);
      assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(first.get("checksum").asText());
    }
  }

  @Test
  void sameSeedSameRowsAndSomeAreInvalidOnPurpose() {
    DspRows a = new DspRows(3, 0.3);
    DspRows b = new DspRows(3, 0.3);
    YearMonth p = YearMonth.of(2026, 3);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (long n = 1; n <= 300; n++) {
      assertThat(a.row("r", p, n)).isEqualTo(b.row("r", p, n));
      rows.add(a.row("r", p, n));
    }
    assertThat(rows).anyMatch(r -> ((String) r.get("isrc")).startsWith("1"));
    assertThat(rows)
        .anyMatch(
            r -> r.get("saleType").equals("SALE") && ((String) r.get("amount")).startsWith("-"));
    assertThat(rows)
        .anyMatch(
            r -> r.get("saleType").equals("RETURN") && ((String) r.get("amount")).startsWith("-"));
    assertThat(DspRows.upc(123_456)).isEqualTo("000001234565");
  }

  @Test
  void truncatedBodyKeepsStatus200ButIsNotJson() throws Exception {
    SimDspConfig config = SimDspConfig.newBuilder().withPTruncate(1).withRowsPerReport(50).build();
    try (SimDsp dsp = SimDsp.start(config, new VirtualTime())) {
      HttpResponse<String> r = get(dsp, "/v1/reports/rpt-2026-03-1/rows");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> JSON.readTree(r.body())).isInstanceOf(JsonProcessingException.class);
      assertThat(dsp.truncatedBodies()).isEqualTo(1);
    }
  }

  @Test
  void quotaAnswers429WithRetryAfterUntilTheWindowRefills() throws Exception {
    VirtualTime time = new VirtualTime();
    SimDspConfig config = SimDspConfig.newBuilder().withQuota("2/1s").build();
    try (SimDsp dsp = SimDsp.start(config, time)) {
      assertThat(get(dsp, "/v1/reports?period=2026-03").statusCode()).isEqualTo(200);
      assertThat(get(dsp, "/v1/reports?period=2026-03").statusCode()).isEqualTo(200);
      HttpResponse<String> third = get(dsp, "/v1/reports?period=2026-03");
      assertThat(third.statusCode()).isEqualTo(429);
      assertThat(third.headers().firstValue("Retry-After")).hasValue("1");
      time.advance(Duration.ofSeconds(1));
      assertThat(get(dsp, "/v1/reports?period=2026-03").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void badInputAnswers4xxNamingTheCulprit() throws Exception {
    try (SimDsp dsp = SimDsp.start(SimDspConfig.healthy(1), new VirtualTime())) {
      HttpResponse<String> period = get(dsp, "/v1/reports?period=2026-13");
      assertThat(period.statusCode()).isEqualTo(400);
      assertThat(period.body()).contains("period '2026-13' is not YYYY-MM");
      assertThat(get(dsp, "/v1/reports/rpt-2026-03-9/rows").statusCode()).isEqualTo(404);
      HttpResponse<String> cursor = get(dsp, "/v1/reports/rpt-2026-03-1/rows?cursor=zzz");
      assertThat(cursor.statusCode()).isEqualTo(400);
      assertThat(cursor.body()).contains("cursor 'zzz'");
    }
  }

  @Test
  void faultsAreDrawnFromTheSeed() throws Exception {
    SimDspConfig config =
        SimDspConfig.newBuilder().withSeed(11).withP500(0.3).withPReset(0.2).build();
    long[] resets = new long[2];
    List<Integer> first = statuses(config, resets, 0);
    assertThat(first).isEqualTo(statuses(config, resets, 1));
    assertThat(first).contains(500, 200);
    // java.net.http resends a GET once after a reset, so most resets never reach the caller
    assertThat(resets[0]).isPositive().isEqualTo(resets[1]);
  }

  private List<Integer> statuses(SimDspConfig config, long[] resets, int run) throws Exception {
    List<Integer> out = new ArrayList<>();
    try (SimDsp dsp = SimDsp.start(config, new VirtualTime())) {
      for (int i = 0; i < 30; i++) {
        try {
          out.add(get(dsp, "/v1/reports?period=2026-03").statusCode());
        } catch (IOException e) {
          out.add(-1);
        }
      }
      resets[run] = dsp.resets();
    }
    return out;
  }

  @Test
  void configRejectsProbabilitiesOverOne() {
    assertThatThrownBy(() -> SimDspConfig.newBuilder().withP500(0.7).withPReset(0.5).build())
        .hasMessageContaining("add up to more than 1");
    assertThatThrownBy(() -> SimDspConfig.newBuilder().withQuota("x").build())
        .hasMessageContaining("quotas[0]");
  }
}
