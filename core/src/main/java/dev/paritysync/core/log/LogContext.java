package dev.paritysync.core.log;

import dev.paritysync.core.http.CallContext;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Puts a {@link CallContext} into the SLF4J {@link MDC} for a scope, so every log line written in
 * it carries the ids:
 *
 * <pre>{@code
 * try (LogContext.Scope s = LogContext.open(ctx)) {
 *   log.info("pushing rates");
 * }
 * }</pre>
 *
 * <p>Keys: {@value #CORRELATION_ID}, {@value #TRACE_ID} (of the context's {@code traceparent}),
 * {@value #CHANNEL}, {@value #ATTEMPT}, and {@value #SCOPE} and {@value #IDEMPOTENCY_KEY} when the
 * context has them (a key the context lacks is removed for the scope, so an outer scope's value
 * does not leak in). Closing the scope restores the MDC exactly as it was before {@link #open}.
 *
 * <p>{@value #SCOPE} holds the context's {@link CallContext#scope()} under a neutral name; what a
 * scope is called in the log lines people read is the log format's business (the application's
 * {@code logback.xml} names it after what its scopes are).
 *
 * <p>The MDC is per thread: open and close a scope on the same thread, and open a new scope in
 * tasks handed to other threads.
 */
public final class LogContext {
  public static final String CORRELATION_ID = "correlation_id";
  public static final String TRACE_ID = "trace_id";
  public static final String CHANNEL = "channel";
  public static final String SCOPE = "scope";
  public static final String ATTEMPT = "attempt";
  public static final String IDEMPOTENCY_KEY = "idempotency_key";

  private LogContext() {}

  /** Puts {@code context}'s ids into this thread's MDC until the returned scope is closed. */
  public static Scope open(CallContext context) {
    Objects.requireNonNull(context, "context");
    Map<String, String> previous = MDC.getCopyOfContextMap();
    MDC.put(CORRELATION_ID, context.correlationId());
    MDC.put(TRACE_ID, context.traceId());
    MDC.put(CHANNEL, context.channel());
    MDC.put(ATTEMPT, Integer.toString(context.attempt()));
    putOrRemove(SCOPE, context.scope());
    putOrRemove(IDEMPOTENCY_KEY, context.idempotencyKey());
    return new Scope(previous);
  }

  private static void putOrRemove(String key, @Nullable String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  /** Restores the MDC on {@link #close()}; closing twice does nothing more. Not thread-safe. */
  public static final class Scope implements AutoCloseable {
    private final Map<String, String> previous;
    private boolean closed;

    private Scope(Map<String, String> previous) {
      this.previous = previous;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (previous == null || previous.isEmpty()) {
        MDC.clear();
      } else {
        MDC.setContextMap(previous);
      }
    }
  }
}
