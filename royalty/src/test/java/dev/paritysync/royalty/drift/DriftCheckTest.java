package dev.paritysync.royalty.drift;

import static dev.paritysync.royalty.testing.LakeFixture.sale;
import static dev.paritysync.royalty.testing.LakeFixture.upc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.paritysync.royalty.testing.LakeFixture;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each rule over a real lake (Parquet written by DuckDB in the shared layout) and a catalog loaded
 * by {@link Catalog}: six clean trailing months and a clean July find nothing; each test plants one
 * drift in July and finds exactly it.
 */
class DriftCheckTest {
  static final YearMonth JULY = YearMonth.of(2024, 7);
  static final String A = "GBAAA2400001";
  static final String B = "GBAAA2400002";
  static final String C = "GBAAA2400003";
  static final String D = "GBAAA2400004";
  static final String UNKNOWN = "USZZZ2499999";
  static final String U1 = upc("06024457901");
  static final String U2 = upc("06024457902");
  static final String U9 = upc("06024457999");

  @TempDir Path dir;
  LakeFixture lake;

  @BeforeEach
  void cleanLake() throws Exception {
    lake = new LakeFixture(dir.resolve("lake"));
    Catalog.load(
        LakeFixture.catalogCsv(
            dir,
            "isrc,upc,title,artist",
            A + "," + U1 + ",One,Band",
            B + "," + U1 + ",Two,Band",
            B + "," + U2 + ",Two (compilation),Band",
            C + "," + U2 + ",Three,Band",
            D + ",,Four,Band"),
        lake.root());
    for (int m = 1; m <= 7; m++) {
      String p = YearMonth.of(2024, m).toString();
      lake.add(
          sale(p, A, U1, 1000, m % 3 == 0 ? "4.00" : m % 3 == 1 ? "4.05" : "4.10"),
          sale(p, B, U1, 2000, m % 2 == 0 ? "8.00" : "8.10"),
          sale(p, B, U2, 1500, "6.00"),
          sale(p, C, U2, 500, "2.00"),
          sale(p, D, null, 10, "0.04"));
    }
    lake.write();
  }

  List<Finding> check(DriftConfig config) {
    List<Finding> found = new ArrayList<>();
    last = DriftCheck.run(lake.root(), JULY, config, found::add);
    return found;
  }

  DriftSummary last;

  List<Finding> check() {
    return check(DriftConfig.defaults());
  }

  @Test
  void cleanDataHasNoFindings() {
    assertThat(check()).isEmpty();
    assertThat(last.rowsChecked()).isEqualTo(5);
    assertThat(last.notJudged()).isEmpty();
    assertThat(last.counts())
        .containsOnlyKeys(Rule.values())
        .allSatisfy((r, n) -> assertThat(n).isZero());
  }

  @Test
  void unknownIsrcIsFound() {
    lake.add(sale("2024-07", UNKNOWN, null, 700, "2.80"), sale("2024-07", UNKNOWN, U9, 100, "0.40"))
        .write();

    assertThat(check())
        .extracting(Finding::rule, Finding::isrc, Finding::upc, Finding::rows)
        .containsExactly(
            tuple(Rule.UNKNOWN_ISRC, UNKNOWN, null, 1L), tuple(Rule.UNKNOWN_ISRC, UNKNOWN, U9, 1L));
    assertThat(last.counts()).containsEntry(Rule.UNKNOWN_ISRC, 2L);
  }

  @Test
  void progressNamesEachStepAndCountsFindingsAsTheyStream() {
    int unknown = DriftCheck.PROGRESS_EVERY * 2 + 5;
    for (int i = 0; i < unknown; i++) {
      lake.add(sale("2024-07", String.format("USZZZ24%05d", i), null, 10, "0.04"));
    }
    lake.write();
    List<String> statuses = new ArrayList<>();
    List<Finding> found = new ArrayList<>();

    DriftCheck.run(lake.root(), JULY, DriftConfig.defaults(), found::add, statuses::add);

    assertThat(found).hasSize(unknown);
    String counted = "drift 2024-07: " + String.format("%,d rows", unknown + 5);
    assertThat(statuses)
        .containsExactly(
            "drift 2024-07: opening the lake",
            "drift 2024-07: computing the revenue bands of the trailing periods",
            "drift 2024-07: counting the period's rows",
            counted + "; finding the groups too short to judge",
            counted + "; running the rules",
            counted + "; findings 1,000",
            counted + "; findings 2,000",
            counted + "; findings " + String.format("%,d", unknown) + ", done");
  }

  @Test
  void onlyPairsTheCatalogContradictsAreFound() {
    lake.add(
            sale("2024-07", A, U2, 300, "1.20"), // A and U2 both known, never linked: contradiction
            sale("2024-07", C, U9, 300, "1.20"), // U9 unknown to the catalog: no contradiction
            sale("2024-07", C, null, 300, "1.20")) // no UPC: not judged
        .write();

    List<Finding> found = check();

    assertThat(found).hasSize(1);
    Finding f = found.get(0);
    assertThat(f.rule()).isEqualTo(Rule.UPC_MISMATCH);
    assertThat(f.isrc()).isEqualTo(A);
    assertThat(f.upc()).isEqualTo(U2);
    assertThat(f.territory()).isEqualTo("GB");
    assertThat(f.source()).isEqualTo("spotify");
    assertThat(f.expected()).isEqualTo("catalog links it to UPC " + U1);
    assertThat(f.amount()).isEqualByComparingTo("1.20");
  }

  @Test
  void oneIsrcOnSeveralUpcsIsNotFlagged() {
    // the baseline has B on U1 and on U2 every month; the catalog links both
    assertThat(check()).noneMatch(f -> f.rule() == Rule.UPC_MISMATCH);
    assertThat(last.rowsChecked()).isEqualTo(5);
  }

  @Test
  void revenuePerStreamOutsideTheBandIsFound() {
    lake.add(sale("2024-07", C, U2, 1000, "40.00")).write(); // C on U2: 2.00+40.00 / 1500

    List<Finding> found = check();

    assertThat(found)
        .extracting(Finding::rule, Finding::isrc, Finding::upc, Finding::commercialModel)
        .containsExactly(tuple(Rule.REVENUE_PER_STREAM, C, U2, "SubscriptionModel"));
    assertThat(found.get(0).observed()).isEqualTo("0.028000 GBP per stream");
    assertThat(found.get(0).expected())
        .contains("median 0.004000")
        .contains("6 periods 2024-01 to 2024-06");
    assertThat(found.get(0).rows()).isEqualTo(2);
  }

  @Test
  void aWiderBandFromConfigurationAcceptsTheSameRate() {
    lake.add(sale("2024-07", C, U2, 1000, "40.00")).write();
    DriftConfig wide =
        DriftConfig.fromMap(Map.of("revenuePerStream", Map.of("minRelativeWidth", 10)));

    assertThat(check(wide)).isEmpty();
  }

  @Test
  void tooFewTrailingPeriodsAreNotJudgedAndSaidSo() {
    lake.add(
            sale("2024-05", A, U1, 1000, "4.00").territory("IE"),
            sale("2024-06", A, U1, 1000, "4.00").territory("IE"),
            sale("2024-07", A, U1, 1000, "400.00").territory("IE")) // 100x, but only 2 periods
        .write();

    assertThat(check()).isEmpty();
    assertThat(last.notJudged())
        .containsExactly(new NotJudged("spotify", "IE", "SubscriptionModel", "GBP", 2, 3, 1));
    assertThat(last.describe()).contains("not judged for 1 group").contains("spotify/IE");
  }

  @Test
  void streamsWithoutRevenueAndRevenueWithoutStreamsAreFound() {
    lake.add(
            sale("2024-07", A, U1, 300, "0"),
            sale("2024-07", C, U2, 0, "5.00"),
            sale("2024-07", C, U2, 0, "-3.00").saleType("RETURN"),
            sale("2024-07", C, U2, -1, "0").saleType("ADJUSTMENT"),
            sale("2024-07", B, U1, 0, "-0.50").saleType("FEE"),
            sale("2024-07", B, U1, 400, "0").commercialModel("FreeOfChargeModel"),
            sale("2024-07", B, U2, 400, "0").useType("Promotion"))
        .write();
    DriftConfig promoIsFree =
        DriftConfig.fromMap(Map.of("zero", Map.of("freeUseTypes", List.of("promotion"))));

    List<Finding> found = check(promoIsFree);

    assertThat(found)
        .extracting(Finding::rule, Finding::isrc, Finding::quantity, Finding::amount)
        .containsExactly(
            tuple(Rule.ZERO_REVENUE, A, 300L, new BigDecimal("0")),
            tuple(Rule.ZERO_STREAMS, C, 0L, new BigDecimal("5")));
    assertThat(found.get(1).observed()).isEqualTo("amount 5.000000 GBP, quantity 0");
  }

  @Test
  void returnWithNegativeRevenueAndZeroStreamsIsNotFlagged() {
    lake.add(sale("2024-07", A, U1, 0, "-4.00").saleType("RETURN")).write();

    assertThat(check()).isEmpty();
  }

  @Test
  void volumeJumpsAboveTheFactorAndTheFloorAreFound() {
    lake.add(
            sale("2024-07", B, U1, 48000, "192.00"), // B in GB: 51500 against a median of 3500
            sale("2024-07", D, null, 490, "1.96")) // D: 500 against 10, but below the floor
        .write();

    List<Finding> found = check();

    assertThat(found)
        .extracting(Finding::rule, Finding::isrc, Finding::territory, Finding::quantity)
        .containsExactly(tuple(Rule.VOLUME_JUMP, B, "GB", 51500L));
    assertThat(found.get(0).upc()).isNull(); // B is on two UPCs
    assertThat(found.get(0).rows()).isEqualTo(3);
    assertThat(found.get(0).observed()).isEqualTo("quantity 51500, 14.7x the median");
    assertThat(found.get(0).expected()).startsWith("at most 35000.0 (10x the median 3500.0");
  }

  @Test
  void summaryCountsAndRanksFindings() {
    lake.add(
            sale("2024-07", UNKNOWN, null, 10, "0.04"),
            sale("2024-07", A, U2, 10, "0.04"),
            sale("2024-07", C, U2, 0, "9.00"))
        .write();

    check();

    assertThat(last.total()).isEqualTo(3);
    assertThat(last.top().get(0).rule()).isEqualTo(Rule.ZERO_STREAMS);
    assertThat(last.describe())
        .contains("drift 2024-07: 8 rows checked, 3 findings")
        .contains("unknown_isrc         1")
        .contains("volume_jump          0");
  }

  @Test
  void topFindingsWithEqualAmountsFollowReportOrder() {
    for (int i = 0; i < 12; i++) {
      lake.add(sale("2024-07", "USZZZ24000" + (10 + i), null, 10, "1.00"));
    }
    lake.write();

    check();

    assertThat(last.top())
        .hasSize(DriftCheck.TOP)
        .extracting(Finding::isrc)
        .startsWith("USZZZ2400010", "USZZZ2400011")
        .endsWith("USZZZ2400019");
  }

  @Test
  void missingCatalogIsAClearError() throws Exception {
    java.nio.file.Files.delete(Catalog.file(lake.root()));

    assertThatThrownBy(() -> check())
        .isInstanceOf(LakeException.class)
        .hasMessageContaining("has no catalog at")
        .hasMessageContaining("paritysync royalty catalog load");
  }

  @Test
  void missingLakeIsAClearError() {
    assertThatThrownBy(
            () -> DriftCheck.run(dir.resolve("nowhere"), JULY, DriftConfig.defaults(), f -> {}))
        .isInstanceOf(LakeException.class)
        .hasMessageEndingWith("nowhere is not a directory");
  }
}
