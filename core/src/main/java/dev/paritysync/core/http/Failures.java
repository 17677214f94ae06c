package dev.paritysync.core.http;

import dev.paritysync.core.classify.FailureKind;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/** Maps what {@code java.net.http} throws to a {@link FailureKind}. */
final class Failures {
  private Failures() {}

  /** The failure kind of {@code t}, looking through wrappers and the whole cause chain. */
  static FailureKind kindOf(Throwable t) {
    List<Throwable> chain = chain(t);
    for (Throwable c : chain) {
      if (c instanceof TransportException te) {
        return te.kind();
      }
    }
    // a connect timeout may arrive as a ConnectException caused by HttpConnectTimeoutException,
    // so timeouts are looked for in the whole chain before refusals
    for (Throwable c : chain) {
      if (c instanceof HttpTimeoutException || c instanceof SocketTimeoutException) {
        return FailureKind.TIMEOUT;
      }
    }
    for (Throwable c : chain) {
      if (c instanceof SSLException) {
        return FailureKind.TLS;
      }
    }
    for (Throwable c : chain) {
      if (c instanceof ConnectException
          || c instanceof NoRouteToHostException
          || c instanceof UnknownHostException
          || c instanceof UnresolvedAddressException) {
        return FailureKind.CONNECT_REFUSED;
      }
    }
    for (Throwable c : chain) {
      if (c instanceof EOFException || c instanceof ClosedChannelException || isResetMessage(c)) {
        return FailureKind.CONNECTION_RESET;
      }
    }
    return FailureKind.OTHER_IO;
  }

  /** {@code t} as a {@link TransportException}: itself if it is one, else a new one wrapping it. */
  static TransportException toTransportException(Throwable t, String what) {
    Throwable u = unwrap(t);
    if (u instanceof TransportException te) {
      return te;
    }
    FailureKind kind = kindOf(u);
    String detail = u.getMessage() == null ? u.getClass().getSimpleName() : u.getMessage();
    return new TransportException(kind, what + " failed: " + kind + " (" + detail + ")", u);
  }

  static Throwable unwrap(Throwable t) {
    Throwable u = t;
    while ((u instanceof CompletionException || u instanceof ExecutionException)
        && u.getCause() != null) {
      u = u.getCause();
    }
    return u;
  }

  private static boolean isResetMessage(Throwable t) {
    if (!(t instanceof IOException) || t.getMessage() == null) {
      return false;
    }
    String m = t.getMessage().toLowerCase(Locale.ROOT);
    return m.contains("connection reset")
        || m.contains("header parser received no bytes")
        || m.contains("eof reached")
        || m.contains("connection closed")
        || m.contains("closed by peer")
        || m.contains("broken pipe")
        || m.contains("stream closed")
        || m.contains("channel closed");
  }

  private static List<Throwable> chain(Throwable t) {
    List<Throwable> out = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
      out.add(c);
    }
    return out;
  }
}
