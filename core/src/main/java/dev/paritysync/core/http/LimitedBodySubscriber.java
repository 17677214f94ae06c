package dev.paritysync.core.http;

import dev.paritysync.core.classify.FailureKind;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * Collects a body up to a limit; past it, cancels the subscription (which closes the connection)
 * and fails with {@link FailureKind#RESPONSE_TOO_LARGE}, so no more than the limit is ever held.
 */
final class LimitedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {
  private final long limit;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private Flow.@Nullable Subscription subscription;
  private long received;

  LimitedBodySubscriber(long limit, long declaredLength) {
    this.limit = limit;
    if (declaredLength > limit) {
      result.completeExceptionally(tooLarge("Content-Length " + declaredLength));
    }
  }

  static HttpResponse.BodyHandler<byte[]> handler(long limit) {
    return info ->
        new LimitedBodySubscriber(
            limit, info.headers().firstValueAsLong("Content-Length").orElse(-1L));
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    this.subscription = s;
    if (result.isDone()) {
      s.cancel();
    } else {
      s.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      received += b.remaining();
      if (received > limit) {
        Objects.requireNonNull(subscription, "onSubscribe comes first").cancel();
        result.completeExceptionally(tooLarge("more than " + received + " bytes"));
        return;
      }
      byte[] chunk = new byte[b.remaining()];
      b.get(chunk);
      buffer.write(chunk, 0, chunk.length);
    }
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    result.complete(buffer.toByteArray());
  }

  private TransportException tooLarge(String what) {
    return new TransportException(
        FailureKind.RESPONSE_TOO_LARGE,
        "response body too large: " + what + ", the limit is " + limit + " bytes");
  }
}
