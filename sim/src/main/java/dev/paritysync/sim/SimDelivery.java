package dev.paritysync.sim;

import io.javalin.http.Context;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;

/**
 * How the simulated channel puts a response on the wire: at once, after the configured latency or
 * slow delay (on a scheduler, without holding a server thread), or as a connection reset.
 */
final class SimDelivery {
  private final SimConfig config;
  private final ScheduledExecutorService delayer;

  SimDelivery(SimConfig config, ScheduledExecutorService delayer) {
    this.config = config;
    this.delayer = delayer;
  }

  /**
   * Answers {@code ctx} with {@code r} as its delivery says: now, after the latency, slowly, or by
   * a reset.
   */
  void deliver(Context ctx, SimResponse r) {
    long latency = config.latency().toNanos();
    switch (r.delivery()) {
      case NOW -> {
        if (latency == 0) {
          write(ctx, r);
        } else {
          later(ctx, r, latency);
        }
      }
      case RESET -> reset(ctx);
      case SLOW -> later(ctx, r, config.slowDelay().toNanos() + latency);
    }
  }

  /** Writes {@code r} after {@code nanos} of real time without holding a server thread. */
  private void later(Context ctx, SimResponse r, long nanos) {
    ctx.future(
        () -> {
          CompletableFuture<Void> done = new CompletableFuture<>();
          delayer.schedule(
              () -> {
                write(ctx, r);
                done.complete(null);
              },
              nanos,
              TimeUnit.NANOSECONDS);
          return done;
        });
  }

  /** Writes {@code r} now. */
  static void write(Context ctx, SimResponse r) {
    ctx.status(r.status());
    r.headers().forEach(ctx::header);
    if (r.body() != null) {
      ctx.contentType(r.contentType()).result(r.body());
    }
  }

  /**
   * Closes the TCP connection without a response. SO_LINGER 0 makes the close a reset (RST), as a
   * crashing peer or a load balancer would; the client sees an IOException either way.
   */
  static void reset(Context ctx) {
    EndPoint endPoint =
        ServletContextRequest.getServletContextRequest(ctx.req()).getServletChannel().getEndPoint();
    if (endPoint.getTransport() instanceof SocketChannel socket) {
      try {
        socket.setOption(StandardSocketOptions.SO_LINGER, 0);
      } catch (IOException | UnsupportedOperationException e) {
        // A plain close still ends the exchange without a response.
      }
    }
    // Jetty 12's ServletChannel.abort only fails the exchange; closing the endpoint ends it now.
    endPoint.close(new IOException("simulated connection reset"));
  }
}
