package dev.paritysync.royalty.drift;

/**
 * A source × territory × commercial model × currency group whose revenue per stream was not judged
 * because its trailing periods hold too few data points. Immutable.
 *
 * @param source the source
 * @param territory the territory
 * @param commercialModel the commercial model, possibly empty
 * @param currency the currency
 * @param trailingPeriods how many of the trailing periods have rows for the group
 * @param required how many are needed ({@link DriftConfig#minPeriods()})
 * @param rows the group's rows in the period checked that were not judged
 */
public record NotJudged(
    String source,
    String territory,
    String commercialModel,
    String currency,
    int trailingPeriods,
    int required,
    long rows) {

  @Override
  public String toString() {
    return source
        + "/"
        + territory
        + "/"
        + (commercialModel.isEmpty() ? "-" : commercialModel)
        + "/"
        + currency
        + ": "
        + trailingPeriods
        + " of "
        + required
        + " trailing periods needed, "
        + rows
        + (rows == 1 ? " row" : " rows")
        + " not judged";
  }
}
