package dev.paritysync.app.server;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/**
 * Reading what a client sent, within bounds: the body (at most a size; a malformed, slow or
 * abandoned one is a problem document, never a stuck thread or a 500) and single-value headers.
 * Stateless.
 */
final class RequestReading {
  private RequestReading() {}

  /**
   * The request body, at most {@code max} bytes.
   *
   * @throws ProblemException 413 when the body is larger, 400 when its framing is malformed (a bad
   *     chunk size)
   */
  static byte[] body(Context ctx, long max) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > max) {
      throw tooLarge(max);
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
      if (body.length > max) {
        throw tooLarge(max);
      }
      return body;
    } catch (IOException | RuntimeException e) {
      throw unreadable(e);
    }
  }

  /** What a failure to read a body means: the client's malformed framing, or its leaving. */
  private static RuntimeException unreadable(Exception e) {
    if (e instanceof ProblemException p) {
      return p;
    }
    // Jetty reports a malformed chunk as an early end of the body caused by a bad message.
    for (Throwable t = e; t != null; t = t.getCause()) {
      // Jetty 12 deprecates BadMessageException for the HttpException it implements; its early
      // EOF of a client that left is an HttpException too, and an EOFException: that is below.
      if (!(t instanceof org.eclipse.jetty.http.HttpException bad)
          || t instanceof java.io.EOFException) {
        continue;
      }
      if (bad.getCode() == 408) {
        return new ProblemException(
            408,
            "Request timeout",
            "the request body came slower than the server accepts (server.minRequestDataRate)");
      }
      return new ProblemException(
          400, "Bad request", "the request body is malformed: " + bad.getReason());
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.EOFException || t instanceof java.util.concurrent.TimeoutException) {
        return new ClientAborted(t);
      }
    }
    return e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
  }

  /** The messages of {@code t} and its causes, for one log line. */
  static String chain(@Nullable Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (; t != null; t = t.getCause()) {
      sb.append(sb.length() == 0 ? "" : " <- ").append(t);
    }
    return sb.toString();
  }

  /**
   * The one value of header {@code name}, or null when it is absent.
   *
   * @throws ProblemException 400 when the request repeats it: which one would count is ambiguous
   */
  static @Nullable String singleHeader(Context ctx, String name) {
    java.util.Enumeration<String> values = ctx.req().getHeaders(name);
    if (values == null || !values.hasMoreElements()) {
      return null;
    }
    String first = values.nextElement();
    int count = 1;
    while (values.hasMoreElements()) {
      values.nextElement();
      count++;
    }
    if (count > 1) {
      throw new ProblemException(
          400,
          "Repeated header",
          name + " is sent " + count + " times; it takes one value, send it once");
    }
    return first;
  }

  private static ProblemException tooLarge(long max) {
    return new ProblemException(
        413, "Content too large", "the request body is larger than " + max + " bytes");
  }
}
