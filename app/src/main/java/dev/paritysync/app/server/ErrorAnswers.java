package dev.paritysync.app.server;

import dev.paritysync.store.StoreException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How each failure of a request becomes an RFC 9457 problem document: a {@link ProblemException} as
 * it says, Javalin's own 404/405, a client that left mid-body, a database that refused, and
 * anything else as a 500 that tells the client nothing of the server's internals.
 */
final class ErrorAnswers {
  // The server's logger: an operator filters one name for everything the server says.
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  private static final String PROBLEM_MEDIA_TYPE = "application/problem+json";

  /** What a 503 for a database fault asks the client to wait before sending again. */
  private static final Duration STORE_RETRY_AFTER = Duration.ofSeconds(5);

  private ErrorAnswers() {}

  /** Registers the answers on {@code app}: at most {@code maxErrors} errors per document. */
  static void mount(RoutesConfig app, int maxErrors) {
    app.exception(
        ProblemException.class,
        (e, ctx) ->
            ApiServer.problem(
                ctx, e.status(), e.title(), e.detail(), e.errors(), e.errorCount(), maxErrors));
    app.exception(HttpResponseException.class, ErrorAnswers::javalinProblem);
    app.exception(
        ClientAborted.class,
        (e, ctx) -> {
          // Usually nobody is left to answer: one line at DEBUG, no stack trace. Jetty reports a
          // malformed chunk the same way, and that client is still there to read a 400.
          log.debug(
              "{} {}: the request body ended early (the client left, or its chunks are"
                  + " malformed): {}",
              ctx.method(),
              ctx.path(),
              RequestReading.chain(e.getCause()));
          ctx.header("Connection", "close");
          ApiServer.problem(
              ctx,
              400,
              "Bad request",
              "the request body ended before its declared length, or its chunked framing is"
                  + " malformed",
              List.of());
        });
    app.exception(
        StoreException.class,
        (e, ctx) -> {
          // The database refused the transaction (locked past its busy timeout and retries, disk
          // full, an I/O error, its file deleted, a lost connection): the client sends the request
          // again with its Idempotency-Key, which answers it once whatever happened to this one.
          log.warn(
              "{} {}: the database refused the request: {}",
              ctx.method(),
              ctx.path(),
              e.getMessage());
          ctx.header("Retry-After", Long.toString(STORE_RETRY_AFTER.toSeconds()));
          ApiServer.problem(
              ctx,
              503,
              "Storage unavailable",
              "the database could not store the request; send it again later with the same"
                  + " Idempotency-Key",
              List.of());
        });
    app.exception(
        Exception.class,
        (e, ctx) -> {
          log.error("{} {} failed", ctx.method(), ctx.path(), e);
          ApiServer.problem(
              ctx, 500, "Internal error", "the server failed; see its log", List.of());
        });
    app.error(
        404,
        ctx -> {
          if (!isProblem(ctx) && !isPage(ctx)) {
            ApiServer.problem(ctx, 404, "Not found", "no resource at " + ctx.path(), List.of());
          }
        });
    app.error(
        405,
        ctx -> {
          if (!isProblem(ctx)) {
            ApiServer.problem(
                ctx,
                405,
                ApiServer.title(405),
                ctx.method() + " is not allowed on " + ctx.path(),
                List.of());
          }
        });
  }

  private static void javalinProblem(HttpResponseException e, Context ctx) {
    int status = e.getStatus();
    String detail = e.getMessage();
    if (status == 405) {
      // Javalin found the path under other methods: name them, as RFC 9110 asks.
      String allowed = e.getDetails().get("availableMethods");
      if (allowed != null) {
        ctx.header("Allow", allowed.replaceAll("[\\[\\]\\s]", "").replace(",", ", "));
      }
      detail = ctx.method() + " is not allowed on " + ctx.path();
    }
    ApiServer.problem(ctx, status, ApiServer.title(status), detail, List.of());
  }

  /** Whether a route answered with an HTML page of its own (the web UI's "not found"). */
  private static boolean isPage(Context ctx) {
    String type = ctx.res().getContentType();
    return type != null && type.startsWith("text/html");
  }

  private static boolean isProblem(Context ctx) {
    String type = ctx.res().getContentType();
    return type != null && type.startsWith(PROBLEM_MEDIA_TYPE);
  }
}
