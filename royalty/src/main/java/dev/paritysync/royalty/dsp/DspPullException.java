package dev.paritysync.royalty.dsp;

/**
 * A pull that cannot go on: the DSP refused a request for good (a 4xx, retries or the wait ceiling
 * exhausted) or answered something that breaks its API contract. The checkpoint stays where the
 * last committed page left it, so pulling again resumes there.
 */
public final class DspPullException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DspPullException(String message) {
    super(message);
  }
}
