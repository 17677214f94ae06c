package dev.paritysync.royalty.drift;

import static dev.paritysync.royalty.testing.LakeFixture.sale;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.royalty.testing.LakeFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftReportTest {
  @TempDir Path dir;

  @Test
  void writesEveryFindingAsJsonAndCsv() throws Exception {
    LakeFixture lake = new LakeFixture(dir.resolve("lake"));
    Catalog.load(
        LakeFixture.catalogCsv(dir, "isrc,upc,title,artist", "GBAAA2400001,,One,Band"),
        lake.root());
    lake.add(
            sale("2024-07", "USZZZ2400001", null, 10, "0.04").territory("US"),
            sale("2024-07", "GBAAA2400001", null, 0, "1.50").commercialModel("Ad, supported"))
        .write();

    DriftReport.Written written =
        DriftReport.write(
            lake.root(),
            YearMonth.of(2024, 7),
            DriftConfig.defaults(),
            dir.resolve("out"),
            EnumSet.allOf(DriftReport.Format.class));

    assertThat(written.files())
        .containsExactly(
            dir.resolve("out/drift-2024-07.json"), dir.resolve("out/drift-2024-07.csv"));
    JsonNode json = new ObjectMapper().readTree(written.files().get(0).toFile());
    assertThat(json.get("period").asText()).isEqualTo("2024-07");
    assertThat(json.get("rowsChecked").asLong()).isEqualTo(2);
    assertThat(json.get("counts").get("unknown_isrc").asLong()).isEqualTo(1);
    assertThat(json.get("counts").get("zero_streams").asLong()).isEqualTo(1);
    assertThat(json.get("config").get("volume").get("factor").asDouble()).isEqualTo(10);
    assertThat(json.get("findings")).hasSize(2);
    JsonNode first = json.get("findings").get(0);
    assertThat(first.get("rule").asText()).isEqualTo("unknown_isrc");
    assertThat(first.get("territory").asText()).isEqualTo("US");
    assertThat(first.get("upc").isNull()).isTrue();
    assertThat(first.get("amount").decimalValue()).isEqualByComparingTo("0.04");
    // the US group has no trailing periods, so its revenue per stream is not judged, and says so
    assertThat(json.get("notJudged")).hasSize(1);
    assertThat(json.get("notJudged").get(0).get("territory").asText()).isEqualTo("US");

    List<String> csv = Files.readAllLines(written.files().get(1));
    assertThat(csv)
        .containsExactly(
            String.join(",", DriftReport.CSV_HEADER),
            "unknown_isrc,spotify,2024-07,US,,USZZZ2400001,,ISRC not in the catalog,"
                + "an ISRC the catalog lists,1,10,0.04",
            "zero_streams,spotify,2024-07,GB,\"Ad, supported\",GBAAA2400001,,"
                + "\"amount 1.500000 GBP, quantity 0\",a quantity for the amount,1,0,1.5");
    assertThat(written.summary().total()).isEqualTo(2);
  }

  @Test
  void onlyTheFormatsAskedForAreWritten() throws Exception {
    LakeFixture lake = new LakeFixture(dir.resolve("lake"));
    Catalog.load(LakeFixture.catalogCsv(dir, "isrc,upc,title,artist"), lake.root());
    lake.add(sale("2024-07", "GBAAA2400001", null, 10, "0.04")).write();

    DriftReport.Written written =
        DriftReport.write(
            lake.root(),
            YearMonth.of(2024, 7),
            DriftConfig.defaults(),
            dir.resolve("out"),
            Set.of(DriftReport.Format.CSV));

    assertThat(written.files()).containsExactly(dir.resolve("out/drift-2024-07.csv"));
    assertThat(dir.resolve("out/drift-2024-07.json")).doesNotExist();
    assertThat(Files.readAllLines(written.files().get(0))).hasSize(2);
  }
}
