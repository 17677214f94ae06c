package dev.paritysync.app;

import dev.paritysync.royalty.drift.Catalog;
import dev.paritysync.royalty.drift.LakeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code paritysync royalty catalog}: the label's catalog in the lake. */
@Command(
    name = "catalog",
    mixinStandardHelpOptions = true,
    description = "The label's catalog (ISRC, UPC, title, artist) in the lake.",
    subcommands = {CatalogCommand.Load.class})
final class CatalogCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code royalty catalog load FILE --lake DIR}. */
  @Command(
      name = "load",
      mixinStandardHelpOptions = true,
      description = {
        "Replaces <lake>/catalog/catalog.parquet with a CSV's rows (header isrc,upc,title,artist).",
        "Rows with an invalid ISRC or UPC are left out and listed by line; exit code 3 says so."
      },
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {
        "0:every row loaded",
        "1:the lake cannot be written",
        "2:bad input (no such file, no header)",
        "3:loaded, but some rows were rejected (listed on stderr)"
      })
  static final class Load implements Callable<Integer> {
    /** Rejected rows printed one by one; the rest are counted. */
    static final int PRINTED = 50;

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the catalog CSV (plain or gzip)")
    Path file;

    @Option(
        names = "--lake",
        paramLabel = "DIR",
        defaultValue = "lake",
        description = "the lake directory (default: ${DEFAULT-VALUE})")
    Path lake;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Catalog.Result result;
      try {
        result = Catalog.load(file, lake);
      } catch (LakeException e) {
        err.println("paritysync: " + e.getMessage());
        return 1;
      }
      result.warnings().forEach(w -> err.println("warning: " + w));
      result.rejected().stream()
          .limit(PRINTED)
          .forEach(r -> err.println(file.getFileName() + ": " + r));
      if (result.rejectedCount() > PRINTED) {
        err.println("… and " + (result.rejectedCount() - PRINTED) + " more rejected rows");
      }
      out.println(
          "catalog "
              + result.file()
              + ": "
              + result.links()
              + " links from "
              + result.rows()
              + " rows, "
              + result.rejectedCount()
              + " rejected");
      return result.rejectedCount() == 0 ? 0 : 3;
    }
  }
}
