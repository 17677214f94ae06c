package dev.paritysync.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.classify.FailureKind;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The exceptions no loopback test provokes reliably (TLS, connect timeouts), mapped directly. */
class FailuresTest {

  @Test
  void mapsWhatJavaNetHttpThrows() {
    assertThat(Failures.kindOf(new SSLHandshakeException("PKIX path building failed")))
        .isEqualTo(FailureKind.TLS);
    assertThat(Failures.kindOf(new HttpConnectTimeoutException("HTTP connect timed out")))
        .isEqualTo(FailureKind.TIMEOUT);
    assertThat(Failures.kindOf(new HttpTimeoutException("request timed out")))
        .isEqualTo(FailureKind.TIMEOUT);
    assertThat(Failures.kindOf(new ConnectException("Connection refused")))
        .isEqualTo(FailureKind.CONNECT_REFUSED);
    assertThat(Failures.kindOf(new EOFException("EOF reached while reading")))
        .isEqualTo(FailureKind.CONNECTION_RESET);
    assertThat(Failures.kindOf(new ClosedChannelException()))
        .isEqualTo(FailureKind.CONNECTION_RESET);
    assertThat(Failures.kindOf(new IOException("Connection reset by peer")))
        .isEqualTo(FailureKind.CONNECTION_RESET);
    assertThat(Failures.kindOf(new IOException("HTTP/1.1 header parser received no bytes")))
        .isEqualTo(FailureKind.CONNECTION_RESET);
    assertThat(Failures.kindOf(new IOException("something else"))).isEqualTo(FailureKind.OTHER_IO);
  }

  @Test
  void aConnectExceptionCausedByAConnectTimeoutIsATimeout() {
    ConnectException e = new ConnectException("HTTP connect timed out");
    e.initCause(new HttpConnectTimeoutException("HTTP connect timed out"));

    assertThat(Failures.kindOf(e)).isEqualTo(FailureKind.TIMEOUT);
  }

  @Test
  void looksThroughCompletionExceptions() {
    CompletionException wrapped = new CompletionException(new SSLHandshakeException("bad cert"));

    TransportException e = Failures.toTransportException(wrapped, "GET http://127.0.0.1/");

    assertThat(e.kind()).isEqualTo(FailureKind.TLS);
    assertThat(e).hasMessageStartingWith("GET http://127.0.0.1/ failed: TLS");
    assertThat(Transport.outcomeOf(wrapped).failure()).isEqualTo(FailureKind.TLS);
  }
}
