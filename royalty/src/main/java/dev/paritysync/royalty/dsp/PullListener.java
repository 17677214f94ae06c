package dev.paritysync.royalty.dsp;

/**
 * Hears of every page a {@link DspSource} commits, for progress output. Called on the pulling
 * thread, one page at a time: an implementation need not be thread-safe unless it is shared by
 * sources pulled on several threads.
 */
@FunctionalInterface
public interface PullListener {
  /** A listener that does nothing. */
  PullListener NONE = progress -> {};

  /**
   * One committed page.
   *
   * @param report the report id
   * @param pages pages of the report committed so far, across restarts
   * @param staged rows of the report staged so far (valid and dead), across restarts
   * @param expected rows the manifest announces
   * @param retries retried attempts so far in this run, across reports
   */
  record Progress(String report, long pages, long staged, long expected, long retries) {}

  /** Called once per committed page, after its transaction; must not block for long. */
  void onPage(Progress progress);
}
