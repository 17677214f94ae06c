package dev.paritysync.royalty.drift;

import java.time.YearMonth;
import java.util.List;
import java.util.Locale;

/** The SQL of the drift rules, over the views {@code sales} and {@code catalog}. */
final class DriftSql {
  private DriftSql() {}

  /** Rows of the period checked. */
  private static String current(YearMonth period) {
    return "cur AS (SELECT * FROM sales WHERE period = "
        + DriftLake.literal(period.toString())
        + ")";
  }

  /** Sale rows whose revenue per stream is judged: streams and revenue both present. */
  private static final String TOTALS =
      "count(*) AS rows, sum(quantity)::BIGINT AS quantity, sum(amount)::DECIMAL(38, 6) AS amount";

  private static final String RATE_ROWS = "sale_type = 'SALE' AND quantity > 0 AND amount <> 0";

  private static final String GROUP =
      "source, territory, coalesce(commercial_model, '') AS commercial_model,"
          + " coalesce(currency, '') AS currency";

  private static final String GROUP_KEYS = "source, territory, commercial_model, currency";

  /**
   * A temp table {@code band}: per source × territory × commercial model × currency, the median and
   * MAD of revenue per stream over the trailing periods. One point is one (ISRC, UPC) in one
   * period: total amount over total quantity of its rate rows.
   */
  static String band(YearMonth period, DriftConfig c) {
    return "CREATE TEMP TABLE band AS WITH pts AS (SELECT "
        + GROUP
        + ", period, isrc, upc, sum(amount)::DOUBLE / sum(quantity) AS rate FROM sales WHERE "
        + RATE_ROWS
        + " AND period >= "
        + DriftLake.literal(period.minusMonths(c.trailingPeriods()).toString())
        + " AND period < "
        + DriftLake.literal(period.toString())
        + " GROUP BY ALL), med AS (SELECT "
        + GROUP_KEYS
        + ", median(rate) AS med, count(*) AS n, count(DISTINCT period) AS periods,"
        + " min(period) AS first, max(period) AS last FROM pts GROUP BY ALL)"
        + " SELECT m.*, median(abs(p.rate - m.med)) AS mad FROM med m JOIN pts p USING ("
        + GROUP_KEYS
        + ") GROUP BY ALL";
  }

  /** Groups with rate rows in the period checked but too few trailing periods. */
  static String notJudged(YearMonth period, DriftConfig c) {
    return "WITH "
        + current(period)
        + ", g AS (SELECT "
        + GROUP
        + ", count(*) AS rows FROM cur WHERE "
        + RATE_ROWS
        + " GROUP BY ALL) SELECT g.*, coalesce(b.periods, 0)::INTEGER AS periods FROM g LEFT JOIN"
        + " band b USING ("
        + GROUP_KEYS
        + ") WHERE coalesce(b.periods, 0) < "
        + c.minPeriods()
        + " ORDER BY "
        + GROUP_KEYS;
  }

  /** Every rule's findings, one row each, in report order. */
  static String findings(YearMonth period, DriftConfig c) {
    return "WITH "
        + current(period)
        + catalogRules()
        + rateRule(c)
        + zeroRules(c)
        + volumeRule(period, c)
        + " SELECT * FROM (SELECT * FROM unknown UNION ALL BY NAME SELECT * FROM mismatch"
        + " UNION ALL BY NAME SELECT * FROM rate UNION ALL BY NAME SELECT * FROM zr"
        + " UNION ALL BY NAME SELECT * FROM zs UNION ALL BY NAME SELECT * FROM volume)"
        + " ORDER BY o, source, territory, commercial_model NULLS FIRST, isrc, upc NULLS FIRST";
  }

  /** 1. ISRCs the catalog does not list; 2. a known ISRC on a known UPC, never linked to it. */
  private static String catalogRules() {
    return ", unknown AS (SELECT 1 AS o, 'unknown_isrc' AS rule, source, territory,"
        + " NULL::VARCHAR AS commercial_model, isrc, upc, 'ISRC not in the catalog' AS observed,"
        + " 'an ISRC the catalog lists' AS expected, "
        + TOTALS
        + " FROM cur s WHERE NOT EXISTS (SELECT 1 FROM catalog k WHERE k.isrc = s.isrc)"
        + " GROUP BY source, territory, isrc, upc)"
        + ", links AS (SELECT isrc, string_agg(DISTINCT upc, ' ' ORDER BY upc) AS upcs FROM catalog"
        + " GROUP BY isrc)"
        + ", mm AS (SELECT source, territory, isrc, upc, "
        + TOTALS
        + " FROM cur s WHERE upc IS NOT NULL AND isrc IN (SELECT isrc FROM catalog)"
        + " AND upc IN (SELECT upc FROM catalog WHERE upc IS NOT NULL)"
        + " AND NOT EXISTS (SELECT 1 FROM catalog k WHERE k.isrc = s.isrc AND k.upc = s.upc)"
        + " GROUP BY ALL)"
        + ", mismatch AS (SELECT 2 AS o, 'upc_mismatch' AS rule, source, territory,"
        + " NULL::VARCHAR AS commercial_model, isrc, upc, 'on UPC ' || upc AS observed,"
        + " coalesce('catalog links it to UPC ' || l.upcs, 'catalog links it to no UPC') AS expected,"
        + " rows, quantity, amount FROM mm LEFT JOIN links l USING (isrc))";
  }

  /** 3. revenue per stream outside median ± k·MAD. */
  private static String rateRule(DriftConfig c) {
    String half =
        "greatest("
            + c.k()
            + " * "
            + c.madScale()
            + " * mad, "
            + c.minRelativeWidth()
            + " * abs(med))";
    return ", rc AS (SELECT "
        + GROUP
        + ", isrc, upc, "
        + TOTALS
        + ", sum(amount)::DOUBLE / sum(quantity) AS rate FROM cur WHERE "
        + RATE_ROWS
        + " GROUP BY ALL)"
        + ", rj AS (SELECT rc.*, b.med, b.mad, b.n, b.periods, b.first, b.last, "
        + half
        + " AS half FROM rc JOIN band b USING ("
        + GROUP_KEYS
        + ") WHERE b.periods >= "
        + c.minPeriods()
        + ")"
        + ", rate AS (SELECT 3 AS o, 'revenue_per_stream' AS rule, source, territory,"
        + " commercial_model, isrc, upc, printf('%.6f %s per stream', rate, currency) AS observed,"
        + " printf('%.6f to %.6f (median %.6f, MAD %.6f, k "
        + c.k()
        + ", %d points in %d periods %s to %s)', med - half, med + half, med, mad, n, periods,"
        + " first, last) AS expected, rows, quantity, amount FROM rj"
        + " WHERE rate < med - half OR rate > med + half)";
  }

  /** 4. streams without revenue, revenue without streams (free uses and models excepted). */
  private static String zeroRules(DriftConfig c) {
    String free =
        "(list_contains("
            + list(c.freeUseTypes())
            + ", lower(coalesce(use_type, ''))) OR list_contains("
            + list(c.freeCommercialModels())
            + ", lower(coalesce(commercial_model, ''))))";
    return ", zr AS (SELECT 4 AS o, 'zero_revenue' AS rule, source, territory,"
        + " coalesce(commercial_model, '') AS commercial_model, isrc, upc,"
        + " printf('quantity %d, amount 0', sum(quantity)::BIGINT) AS observed,"
        + " 'an amount for the streams' AS expected, "
        + TOTALS
        + " FROM cur WHERE sale_type = 'SALE' AND quantity > 0 AND amount = 0 AND NOT "
        + free
        + " GROUP BY source, territory, coalesce(commercial_model, ''), isrc, upc)"
        + ", zs AS (SELECT 5 AS o, 'zero_streams' AS rule, source, territory,"
        + " coalesce(commercial_model, '') AS commercial_model, isrc, upc,"
        + " 'amount ' || sum(amount)::DECIMAL(38, 6) || ' ' || min(currency) || ', quantity 0'"
        + " AS observed, 'a quantity for the amount' AS expected, "
        + TOTALS
        + " FROM cur WHERE sale_type = 'SALE' AND quantity = 0 AND amount <> 0 AND NOT "
        + free
        + " GROUP BY source, territory, coalesce(commercial_model, ''), isrc, upc)";
  }

  /** 5. volume jumps per source × ISRC × territory against the trailing periods' median. */
  private static String volumeRule(YearMonth period, DriftConfig c) {
    String p = DriftLake.literal(period.toString());
    String volumeFrom = DriftLake.literal(period.minusMonths(c.volumeTrailingPeriods()).toString());
    return ", vq AS (SELECT source, territory, isrc, period, sum(quantity)::DOUBLE AS qty FROM sales"
        + " WHERE sale_type = 'SALE' AND period >= "
        + volumeFrom
        + " AND period < "
        + p
        + " GROUP BY ALL)"
        + ", vprev AS (SELECT source, territory, isrc, median(qty) AS med, count(*) AS n,"
        + " min(period) AS first, max(period) AS last FROM vq GROUP BY ALL)"
        + ", vcur AS (SELECT source, territory, isrc,"
        + " CASE WHEN count(DISTINCT upc) = 1 THEN min(upc) END AS upc, "
        + TOTALS
        + " FROM cur WHERE sale_type = 'SALE' GROUP BY ALL)"
        + ", volume AS (SELECT 6 AS o, 'volume_jump' AS rule, source, territory,"
        + " NULL::VARCHAR AS commercial_model, isrc, upc,"
        + " CASE WHEN med > 0 THEN printf('quantity %d, %.1fx the median', quantity, quantity / med)"
        + " ELSE printf('quantity %d, previous median 0', quantity) END AS observed,"
        + " printf('at most %.1f (%sx the median %.1f of %d periods %s to %s)', "
        + c.volumeFactor()
        + " * med, '"
        + trim(c.volumeFactor())
        + "', med, n, first, last) AS expected, rows, quantity, amount"
        + " FROM vcur JOIN vprev USING (source, territory, isrc) WHERE n >= "
        + c.volumeMinPeriods()
        + " AND quantity >= "
        + c.volumeMinQuantity()
        + " AND quantity > "
        + c.volumeFactor()
        + " * med)";
  }

  private static String list(List<String> values) {
    StringBuilder b = new StringBuilder("[");
    for (String v : values) {
      if (b.length() > 1) {
        b.append(", ");
      }
      b.append(DriftLake.literal(v.toLowerCase(Locale.ROOT)));
    }
    return b.append("]::VARCHAR[]").toString();
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
