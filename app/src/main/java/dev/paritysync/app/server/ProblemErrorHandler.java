package dev.paritysync.app.server;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * Jetty's own error pages as RFC 9457 problem documents in UTF-8 instead of HTML: a request Jetty
 * refuses before any route sees it (a malformed request line or chunk, 414 URI too long, 431 header
 * fields too large) and an error Jetty answers itself (such as a 500 after an {@link Error}). No
 * stack trace, no servlet name, for every method and whatever the client's {@code Accept} says.
 * Jetty 12 routes both the server's and the servlet context's errors through {@link
 * #generateResponse}. Thread-safe.
 */
final class ProblemErrorHandler extends ErrorHandler {
  private final int maxErrors;

  ProblemErrorHandler(int maxErrors) {
    this.maxErrors = maxErrors;
    setShowStacks(false);
    setShowCauses(false);
    setShowOrigin(false);
  }

  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      @Nullable String message,
      @Nullable Throwable cause,
      Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, ApiServer.PROBLEM_JSON);
    response.write(true, ByteBuffer.wrap(bytes(code, message)), callback);
  }

  /** Writes a problem document to {@code response}, unless it is already committed. */
  void write(HttpServletResponse response, int status, String title, @Nullable String detail) {
    if (response.isCommitted()) {
      return;
    }
    try {
      response.resetBuffer();
      response.setStatus(status);
      response.setContentType(ApiServer.PROBLEM_JSON);
      byte[] body = ApiServer.document(status, title, detail, List.of(), 0, maxErrors);
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    } catch (IOException | IllegalStateException e) {
      // The client left, or the response cannot take a body any more: nothing to answer.
    }
  }

  private byte[] bytes(int status, @Nullable String reason) {
    return ApiServer.document(
        status, ApiServer.title(status), detail(status, reason), List.of(), 0, maxErrors);
  }

  /** Jetty's reason when it says something, else a sentence for the status. */
  private static String detail(int status, @Nullable String reason) {
    if (status >= 500) {
      return "the server failed; see its log";
    }
    if (reason != null && !reason.isBlank() && !reason.equals(ApiServer.title(status))) {
      return reason;
    }
    return switch (status) {
      case 414 -> "the request line is longer than the server accepts (server.maxHeaderBytes)";
      case 431 ->
          "the request's header fields are larger than the server accepts"
              + " (server.maxHeaderBytes)";
      default -> "the request cannot be read";
    };
  }
}
