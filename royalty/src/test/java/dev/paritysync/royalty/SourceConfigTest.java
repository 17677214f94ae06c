package dev.paritysync.royalty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceConfigTest {

  @Test
  void readsSourcesFromAYamlLoadedMapOverTheFormatDefaults() {
    Map<String, SourceConfig> sources =
        SourceConfig.allFromMap(
            Map.of(
                "labelco",
                Map.of(
                    "format", "csv",
                    "columns", Map.of("isrc", "Track ISRC", "currency", "=EUR"),
                    "territoryAliases", Map.of("UK", "GB"),
                    "saleTypes", Map.of("RF", "return")),
                "youtube",
                Map.of("format", "DSR", "columns", Map.of("upc", List.of("RE.ICPN", "RE.UPC")))));

    SourceConfig labelco = sources.get("labelco");
    assertThat(labelco.format()).isEqualTo(SourceConfig.Format.CSV);
    assertThat(labelco.columns().get(Field.ISRC)).containsExactly("Track ISRC");
    assertThat(labelco.columns().get(Field.CURRENCY)).containsExactly("=EUR");
    assertThat(labelco.columns().get(Field.QUANTITY)).containsExactly("Quantity");
    assertThat(labelco.territoryAliases())
        .containsEntry("UK", "GB")
        .containsEntry("WW", "Worldwide");
    assertThat(labelco.saleTypes()).containsEntry("RF", SaleType.RETURN);
    assertThat(sources.get("youtube").columns().get(Field.UPC))
        .containsExactly("RE.ICPN", "RE.UPC");
  }

  @Test
  void errorsNameTheKeyPath() {
    assertThatThrownBy(() -> SourceConfig.fromMap("x", Map.of()))
        .hasMessage("sources.x.format: is required (dsr, apple, csv or json)");
    assertThatThrownBy(() -> SourceConfig.fromMap("x", Map.of("format", "xml")))
        .hasMessage("sources.x.format: 'xml' is not one of dsr, apple, csv, json");
    assertThatThrownBy(() -> SourceConfig.fromMap("x", Map.of("format", "csv", "colums", Map.of())))
        .hasMessageStartingWith("sources.x.colums: unknown key");
    assertThatThrownBy(
            () ->
                SourceConfig.fromMap("x", Map.of("format", "csv", "columns", Map.of("isrcs", "I"))))
        .hasMessage("sources.x.columns.isrcs: unknown field");
    assertThatThrownBy(
            () ->
                SourceConfig.fromMap(
                    "x", Map.of("format", "csv", "saleTypes", Map.of("R", "refund"))))
        .hasMessage("sources.x.saleTypes.R: 'refund' is not sale, return, adjustment or fee");
    assertThatThrownBy(
            () ->
                SourceConfig.fromMap(
                    "x", Map.of("format", "csv", "territoryAliases", Map.of("EU", "Europe"))))
        .hasMessage(
            "sources.x.territoryAliases: territory alias 'EU' points to unknown territory 'Europe'");
    assertThatThrownBy(() -> SourceConfig.allFromMap(Map.of("x", "csv")))
        .hasMessage("sources.x: expected a map, got a string");
  }
}
