package dev.paritysync.royalty.drift;

import static dev.paritysync.royalty.testing.LakeFixture.upc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.royalty.testing.LakeFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTest {
  @TempDir Path dir;

  static final String U1 = upc("06024457901");

  @Test
  void loadsNormalisedLinksAndReportsBadRowsByLine() throws Exception {
    String upcA = U1.substring(2); // 12-digit UPC-A
    Path csv =
        LakeFixture.catalogCsv(
            dir,
            "Title,ISRC,UPC,Artist,Label",
            "\"One, remastered\",gb-aaa-24-00001," + upcA + ",Band,L",
            "Two,GBAAA2400002,,Band,L",
            "Bad,GBAAA24,," + "Band,L",
            "Bad upc,GBAAA2400003,060244579019,Band,L",
            "",
            "Short,GBAAA2400004",
            "Again,GBAAA2400001," + U1 + ",Band,L");
    Path lake = dir.resolve("lake");

    Catalog.Result result = Catalog.load(csv, lake);

    assertThat(result.file()).isEqualTo(lake.resolve("catalog/catalog.parquet"));
    assertThat(result.rows()).isEqualTo(6);
    assertThat(result.links()).isEqualTo(2);
    assertThat(result.rejectedCount()).isEqualTo(3);
    assertThat(result.rejected())
        .extracting(Catalog.Rejected::line, Catalog.Rejected::field)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple(4L, "isrc"),
            org.assertj.core.api.Assertions.tuple(5L, "upc"),
            org.assertj.core.api.Assertions.tuple(7L, "row"));
    assertThat(result.rejected().get(1).toString())
        .isEqualTo("line 5: upc: UPC '060244579019' has check digit 9; GS1 mod-10 gives 4");
    assertThat(read(lake))
        .containsExactly(
            "GBAAA2400001|" + U1 + "|One, remastered|Band", "GBAAA2400002|null|Two|Band");
  }

  @Test
  void reloadingReplacesTheCatalog() throws Exception {
    Path lake = dir.resolve("lake");
    Catalog.load(LakeFixture.catalogCsv(dir, "isrc,upc,title,artist", "GBAAA2400001,,A,B"), lake);
    Catalog.load(LakeFixture.catalogCsv(dir, "isrc,upc,title,artist", "GBAAA2400002,,C,D"), lake);

    assertThat(read(lake)).containsExactly("GBAAA2400002|null|C|D");
    try (var files = Files.list(lake.resolve("catalog"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("catalog.parquet");
    }
  }

  @Test
  void headerWithoutAColumnNamesIt() {
    Path csv = LakeFixture.catalogCsv(dir, "isrc,title,artist", "GBAAA2400001,A,B");

    assertThatThrownBy(() -> Catalog.load(csv, dir.resolve("lake")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "catalog catalog.csv: line 1: header has no column 'upc' (expected"
                + " isrc,upc,title,artist, found isrc,title,artist)");
    assertThat(dir.resolve("lake/catalog/catalog.parquet")).doesNotExist();
  }

  @Test
  void emptyAndMissingFilesAreClearErrors() throws Exception {
    Path empty = dir.resolve("empty.csv");
    Files.writeString(empty, "");

    assertThatThrownBy(() -> Catalog.load(empty, dir.resolve("lake")))
        .hasMessage("catalog empty.csv: empty; expected a header isrc,upc,title,artist");
    assertThatThrownBy(() -> Catalog.load(dir.resolve("none.csv"), dir.resolve("lake")))
        .hasMessageEndingWith("none.csv: no such file");
  }

  static List<String> read(Path lake) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT isrc, upc, title, artist FROM read_parquet('"
                    + lake.resolve("catalog/catalog.parquet")
                    + "') ORDER BY isrc")) {
      while (rs.next()) {
        out.add(
            rs.getString(1)
                + "|"
                + rs.getString(2)
                + "|"
                + rs.getString(3)
                + "|"
                + rs.getString(4));
      }
    }
    return out;
  }
}
