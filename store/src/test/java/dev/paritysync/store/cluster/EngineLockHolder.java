package dev.paritysync.store.cluster;

import dev.paritysync.core.time.Clock;
import dev.paritysync.store.DatabaseConfig;

/**
 * A child process for {@link EngineLockTest}: takes the engine lock of the SQLite URL in {@code
 * args[0]}, prints {@code locked}, and holds it until killed (or its stdin closes).
 */
public final class EngineLockHolder {
  private EngineLockHolder() {}

  public static void main(String[] args) throws Exception {
    DatabaseConfig config = DatabaseConfig.builder().withUrl(args[0]).build();
    try (EngineLock lock = EngineLock.acquire(config, "child-worker", Clock.system())) {
      System.out.println("locked");
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold the lock until the parent kills this process
      }
    }
  }
}
