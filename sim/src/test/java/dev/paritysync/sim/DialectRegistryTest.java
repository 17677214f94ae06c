package dev.paritysync.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.time.VirtualTime;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/**
 * The registry's promise: a dialect is its own class plus one registration line. A test-only
 * dialect, registered in one line, gets its routes served, its codec used for writes and reads, and
 * its error shape used for the rules' errors and for the gate's (outage) answers, while the native
 * route is absent.
 */
class DialectRegistryTest {
  /** The one registration line. */
  private static final Dialects REGISTRY = Dialects.BUILT_IN.with(new LinesDialect());

  private final VirtualTime time = new VirtualTime();

  private SimChannel start() {
    SimConfig config =
        SimConfig.healthy(1).toBuilder()
            .withDialect("lines")
            .withRateFloor(new BigDecimal("50"))
            .build(REGISTRY);
    return SimChannel.start(config, time, REGISTRY);
  }

  @Test
  void aRegisteredDialectsRouteAndCodecServeWritesAndReads() throws Exception {
    try (SimChannel sim = start()) {
      Http http = new Http(sim);
      HttpResponse<String> write = http.post("/lines/P1", "DBL,BAR,2026-05-01,2026-05-02,120.50");
      assertThat(write.statusCode()).isEqualTo(200);
      assertThat(write.body()).isEqualTo("applied 2");
      assertThat(write.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
      assertThat(sim.state("P1"))
          .containsEntry(
              new CellKey("DBL", "BAR", LocalDate.of(2026, 5, 2)),
              new CellValue(new BigDecimal("120.50"), null, null, null, null, null, null, null));

      HttpResponse<String> read = http.get("/v1/properties/P1/ari?from=2026-05-01&to=2026-05-31");
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(read.body())
          .isEqualTo("R=DBL P=BAR D=2026-05-01 $=120.50\nR=DBL P=BAR D=2026-05-02 $=120.50");
    }
  }

  @Test
  void theRulesAndTheGateAnswerInTheDialectsErrorShape() throws Exception {
    try (SimChannel sim = start()) {
      Http http = new Http(sim);
      HttpResponse<String> low = http.post("/lines/P1", "DBL,BAR,2026-05-01,2026-05-02,9");
      assertThat(low.statusCode()).isEqualTo(422);
      assertThat(low.body()).isEqualTo("ERR invalid: line 1 $: rate 9 is below the floor 50");

      HttpResponse<String> bad = http.post("/lines/P1", "DBL,BAR,May 1st,2026-05-02,90");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).startsWith("ERR malformed: line 1 from: ");

      sim.setOutage(true);
      HttpResponse<String> down = http.post("/lines/P1", "DBL,BAR,2026-05-01,2026-05-02,90");
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.body()).isEqualTo("ERR service_unavailable");
      assertThat(sim.state("P1")).isEmpty();
    }
  }

  @Test
  void onlyTheDialectsOwnRoutesAreServed() throws Exception {
    try (SimChannel sim = start()) {
      Http http = new Http(sim);
      assertThat(http.post("/v1/properties/P1/ari", "{\"updates\":[]}").statusCode())
          .isEqualTo(404);
      assertThat(http.post("/api/v1/availability", "{\"values\":[]}").statusCode()).isEqualTo(404);
      assertThat(http.get("/v1/stats").statusCode()).isEqualTo(200); // the channel's own
    }
  }

  @Test
  void aDialectIsKnownOnlyWhereItIsRegistered() {
    SimConfig.Builder lines = SimConfig.healthy(1).toBuilder().withDialect("lines");
    assertThatThrownBy(lines::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dialect: expected native, channex, cloudbeds or ota, got 'lines'");
    assertThatThrownBy(() -> REGISTRY.get("telex"))
        .hasMessage("dialect: expected native, channex, cloudbeds, ota or lines, got 'telex'");
    assertThatThrownBy(() -> REGISTRY.with(new LinesDialect()))
        .hasMessage("dialect 'lines' is registered twice");
    assertThat(SimConfig.DIALECTS).containsExactly("native", "channex", "cloudbeds", "ota");
    assertThat(Dialects.BUILT_IN.quotaKindsText())
        .isEqualTo("ari, read; channex: availability, restrictions");
  }

  /** {@code POST /lines/{property}}: one update per line, {@code room,ratePlan,from,to,rate}. */
  private static final class LinesDialect implements Dialect {
    @Override
    public String name() {
      return "lines";
    }

    @Override
    public AriCodec codec() {
      return LinesCodec.INSTANCE;
    }

    @Override
    public List<Route> routes() {
      return List.of(
          Route.post(
              "/lines/{property}",
              (r, engine) ->
                  engine.postAri(
                      r.pathParam("property"),
                      r.header("Authorization"),
                      r.header("Idempotency-Key"),
                      r.body())));
    }
  }

  private static final class LinesCodec implements AriCodec {
    static final LinesCodec INSTANCE = new LinesCodec();

    private static final FieldMap FIELDS =
        FieldMap.of(AriField.ROOM, "R")
            .and(AriField.RATE_PLAN, "P")
            .and(AriField.DATE, "D")
            .and(AriField.RATE, "$");

    @Override
    public String contentType() {
      return "text/plain";
    }

    @Override
    public String problemContentType() {
      return "text/plain";
    }

    @Override
    public List<AriUpdate> decode(byte[] body) throws MalformedBody {
      List<AriUpdate> out = new ArrayList<>();
      List<FieldError> errors = new ArrayList<>();
      String[] lines = new String(body, StandardCharsets.UTF_8).split("\n");
      for (int i = 0; i < lines.length; i++) {
        String[] f = lines[i].split(",", -1);
        if (f.length != 5) {
          errors.add(new FieldError(pointer(i, ""), "expected room,ratePlan,from,to,rate"));
          continue;
        }
        out.add(
            new AriUpdate(
                f[0],
                f[1],
                date(f[2], i, "from", errors),
                date(f[3], i, "to", errors),
                new BigDecimal(f[4]),
                null,
                null,
                null,
                null,
                null,
                null,
                null));
      }
      if (!errors.isEmpty()) {
        throw new MalformedBody(errors);
      }
      return out;
    }

    private LocalDate date(String v, int i, String field, List<FieldError> errors) {
      try {
        return LocalDate.parse(v);
      } catch (DateTimeParseException e) {
        errors.add(new FieldError(pointer(i, field), "not a date"));
        return null;
      }
    }

    @Override
    public String pointer(int index, String field) {
      return "line " + (index + 1) + (field.isEmpty() ? "" : " " + FIELDS.pointerName(field));
    }

    @Override
    public String updatesPointer() {
      return "body";
    }

    @Override
    public byte[] applied(int cells) {
      return ("applied " + cells).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] cells(
        String property, LocalDate from, LocalDate to, SortedMap<CellKey, CellValue> cells) {
      StringJoiner out = new StringJoiner("\n");
      for (Map.Entry<CellKey, CellValue> e : cells.entrySet()) {
        StringJoiner line = new StringJoiner(" ");
        CellWriter.write(FIELDS, e.getKey(), e.getValue(), (n, v) -> line.add(n + "=" + v));
        out.add(line.toString());
      }
      return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] problem(int status, String type, String title, List<FieldError> errors) {
      StringJoiner out = new StringJoiner("\n");
      for (FieldError e : errors) {
        out.add("ERR " + type + ": " + e.path() + ": " + e.message());
      }
      return (errors.isEmpty() ? "ERR " + type : out.toString()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] error(String code) {
      return ("ERR " + code).getBytes(StandardCharsets.UTF_8);
    }
  }
}
