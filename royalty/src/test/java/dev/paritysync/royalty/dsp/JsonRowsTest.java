package dev.paritysync.royalty.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.royalty.SourceConfig;
import java.time.YearMonth;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonRowsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ReportManifest REPORT =
      new ReportManifest("r1", YearMonth.of(2026, 3), 10, "0".repeat(64));

  private static JsonNode row(String json) throws Exception {
    return JSON.readTree(json);
  }

  @Test
  void columnsAreRowPropertiesOrConstantsAndTheCanonicalFormEscapes() throws Exception {
    SourceConfig config =
        SourceConfig.fromMap(
            "spotlike",
            Map.of(
                "format",
                "json",
                "columns",
                Map.of("isrc", "trackIsrc", "currency", "=EUR", "saleType", "kind")));
    JsonNode row =
        row(
            "{\"row\": 3, \"periodStart\": \"2026-03-01\", \"periodEnd\": \"2026-03-31\","
                + " \"territory\": \"ww\", \"trackIsrc\": \"qm-abc-26-00001\", \"title\": \"A\\tB\","
                + " \"quantity\": \"-2\", \"amount\": \"-0.004\", \"kind\": \"return\"}");
    DspStaging.Staged staged = new JsonRows(config).stage(REPORT, row, "page 1");
    assertThat(staged.dead()).isNull();
    assertThat(staged.valid().isrc()).isEqualTo("QMABC2600001");
    assertThat(staged.valid().currency()).isEqualTo("EUR");
    assertThat(staged.valid().territory()).isEqualTo("Worldwide");
    assertThat(staged.canonical())
        .isEqualTo("3\t2026-03-01\t2026-03-31\tww\t\t\tA\\tB\t\t\t\t-2\t-0.004\t\t\n");
  }

  @Test
  void anInvalidRowBecomesADeadLetterWithItsExcerpt() throws Exception {
    SourceConfig config = SourceConfig.defaults("dsp", SourceConfig.Format.JSON);
    JsonNode row =
        row(
            "{\"row\": 1, \"periodStart\": \"2026-03-01\", \"periodEnd\": \"2026-03-31\","
                + " \"territory\": \"US\", \"isrc\": \"QMABC2600001\", \"upc\": \"000001234566\","
                + " \"quantity\": \"1\", \"amount\": \"0.1\", \"currency\": \"USD\"}");
    DspStaging.Staged staged = new JsonRows(config).stage(REPORT, row, "page 1");
    assertThat(staged.valid()).isNull();
    assertThat(staged.dead().field()).isEqualTo("upc");
    assertThat(staged.dead().rowNumber()).isEqualTo(1);
    assertThat(staged.dead().excerpt()).startsWith("1\t2026-03-01\t2026-03-31\tUS\tQMABC2600001");
  }

  @Test
  void aRowNumberOutsideTheManifestIsAContractBreach() {
    SourceConfig config = SourceConfig.defaults("dsp", SourceConfig.Format.JSON);
    assertThatThrownBy(() -> new JsonRows(config).stage(REPORT, row("{\"row\": 11}"), "page 2"))
        .isInstanceOf(DspPullException.class)
        .hasMessage("page 2 has row 11, outside 1..10 of the manifest");
    assertThatThrownBy(() -> new JsonRows(config).stage(REPORT, row("{}"), "page 2"))
        .hasMessage("page 2 has a row without a 'row' number");
  }
}
