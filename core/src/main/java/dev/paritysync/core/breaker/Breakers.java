package dev.paritysync.core.breaker;

import dev.paritysync.core.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breakers of one process, one per (channel, endpoint), all driven by one injected
 * {@link Clock} and reporting every transition to the listeners registered with {@link
 * #onStateChange}.
 *
 * <p>Thread-safe. Listeners run synchronously on the thread whose call caused the transition, in
 * registration order; they should be quick. A listener that throws is logged and does not stop the
 * others or the breaker.
 */
public final class Breakers {
  private static final Logger LOG = LoggerFactory.getLogger(Breakers.class);

  private final Clock clock;
  private final ConcurrentHashMap<List<String>, Breaker> breakers = new ConcurrentHashMap<>();
  private final List<Consumer<StateChange>> listeners = new CopyOnWriteArrayList<>();

  public Breakers(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The breaker for (channel, endpoint), created on the first call with {@code config}; later calls
   * return the same breaker and ignore their {@code config}.
   */
  public Breaker get(String channel, String endpoint, BreakerConfig config) {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(config, "config");
    return breakers.computeIfAbsent(
        List.of(channel, endpoint), k -> new Breaker(channel, endpoint, config, clock, this::emit));
  }

  /** Registers a listener for every transition of every breaker, present and future. */
  public void onStateChange(Consumer<StateChange> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Every breaker created so far. */
  public Collection<Breaker> all() {
    return List.copyOf(breakers.values());
  }

  private void emit(StateChange change) {
    for (Consumer<StateChange> l : listeners) {
      try {
        l.accept(change);
      } catch (RuntimeException e) {
        LOG.warn("breaker state listener failed on {}", change, e);
      }
    }
  }
}
