package dev.paritysync.core.retry;

/**
 * Sees every attempt the executor makes, after classification. Called on the executor's scheduler
 * thread; must not block.
 */
@FunctionalInterface
public interface AttemptListener {
  void onAttempt(AttemptEvent event);
}
