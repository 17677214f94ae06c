package dev.paritysync.app.escalation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paritysync.core.headers.RetryAfter;
import dev.paritysync.core.http.CallContext;
import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Response;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.webhook.StandardWebhooks;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;

/**
 * Posts one notification to one receiver and says what came of it. A webhook gets the event as a
 * JSON object, signed per Standard Webhooks ({@code webhook-id} is the event id, stable across
 * retries); Alertmanager gets the Alertmanager v2 shape, a JSON array of one alert. Thread-safe.
 */
final class Poster {
  /** The longest a post may take. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Transport transport;
  private final RandomGenerator random;

  Poster(Transport transport, RandomGenerator random) {
    this.transport = transport;
    this.random = random;
  }

  /** What came of a post. */
  enum Kind {
    /** A 2xx. */
    SENT,
    /** No answer, a 5xx, 408 or 429: worth another try. */
    RETRY,
    /** Another status: the receiver refuses this post, and would refuse it again. */
    REJECTED
  }

  /**
   * The outcome of a post.
   *
   * @param kind what came of it
   * @param detail the status or failure, for the log and {@code last_error}
   * @param retryAfter the wait the receiver asked for, if any
   */
  record Result(Kind kind, String detail, Optional<Duration> retryAfter) {}

  /** Posts {@code n}'s current event to {@code r} at {@code now}, waiting for the answer. */
  Result post(EscalationConfig.Receiver r, Notification n, Instant now) {
    byte[] body;
    Request request;
    if (r.type() == EscalationConfig.Type.WEBHOOK) {
      body = json(webhookBody(n));
      request =
          Request.post(r.url(), "application/json", body)
              .withHeader(StandardWebhooks.ID_HEADER, n.eventId())
              .withHeader(StandardWebhooks.TIMESTAMP_HEADER, Long.toString(now.getEpochSecond()))
              .withHeader(
                  StandardWebhooks.SIGNATURE_HEADER,
                  StandardWebhooks.sign(
                      Objects.requireNonNull(
                          r.secret(), () -> "webhook " + r.name() + ": no secret"),
                      n.eventId(),
                      now,
                      body));
    } else {
      body = json(List.of(alert(r, n, now)));
      request = Request.post(r.url(), "application/json", body);
    }
    CallContext context = CallContext.newRoot("escalation:" + r.name(), null, random);
    Response response;
    try {
      response =
          transport
              .send(request.withTimeout(TIMEOUT), context)
              .get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | CompletionException e) {
      return new Result(Kind.RETRY, Transport.outcomeOf(e).toString(), Optional.empty());
    } catch (TimeoutException e) {
      return new Result(Kind.RETRY, "no answer within " + TIMEOUT, Optional.empty());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(Kind.RETRY, "interrupted", Optional.empty());
    }
    int status = response.status();
    String detail = "HTTP " + status;
    if (status >= 200 && status < 300) {
      return new Result(Kind.SENT, detail, Optional.empty());
    }
    if (status >= 500 || status == 408 || status == 429) {
      return new Result(Kind.RETRY, detail, RetryAfter.from(response.headers(), now));
    }
    return new Result(Kind.REJECTED, detail, Optional.empty());
  }

  /** The webhook event: {@code id}, {@code type} (fired, resolved) and the condition's facts. */
  static Map<String, Object> webhookBody(Notification n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", n.eventId());
    m.put("type", n.firing() ? "fired" : "resolved");
    m.put("condition", n.condition());
    m.put("channel", n.channel());
    m.put("value", n.value());
    m.put("threshold", n.threshold());
    m.put("unit", unit(n.condition()));
    m.put("since", n.since().toString());
    m.put("firedAt", n.firedAt().toString());
    Instant resolvedAt = n.resolvedAt();
    if (!n.firing() && resolvedAt != null) {
      m.put("resolvedAt", resolvedAt.toString());
    }
    m.put("summary", summary(n));
    return m;
  }

  /**
   * One Alertmanager v2 alert. While firing, {@code endsAt} is four re-sends ahead, so the alert
   * resolves by itself if paritysync stops sending; once resolved it is the resolution instant.
   */
  static Map<String, Object> alert(EscalationConfig.Receiver r, Notification n, Instant now) {
    Map<String, Object> labels = new LinkedHashMap<>();
    labels.put("alertname", alertName(n.condition()));
    labels.put("condition", n.condition());
    labels.put("channel", n.channel());
    labels.put("service", "paritysync");
    Map<String, Object> annotations = new LinkedHashMap<>();
    annotations.put("summary", summary(n));
    annotations.put("value", Long.toString(n.value()));
    annotations.put("threshold", Long.toString(n.threshold()));
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("labels", labels);
    a.put("annotations", annotations);
    a.put("startsAt", n.since().toString());
    Instant ends =
        n.firing()
            ? now.plus(
                Objects.requireNonNull(r.repeat(), () -> "alertmanager " + r.name() + ": no repeat")
                    .multipliedBy(4))
            : Objects.requireNonNull(n.resolvedAt(), () -> "resolved " + n.key() + ": no time");
    a.put("endsAt", ends.toString());
    if (r.generatorUrl() != null) {
      a.put("generatorURL", r.generatorUrl());
    }
    return a;
  }

  static String alertName(String condition) {
    return switch (condition) {
      case Observation.DRIFT -> "ParitysyncReconciliationDrift";
      case Observation.CIRCUIT_OPEN -> "ParitysyncCircuitOpen";
      default -> "ParitysyncDeadLetters";
    };
  }

  private static String unit(String condition) {
    return switch (condition) {
      case Observation.DRIFT -> "cells";
      case Observation.CIRCUIT_OPEN -> "seconds";
      default -> "dead_letters";
    };
  }

  private static String summary(Notification n) {
    String what =
        switch (n.condition()) {
          case Observation.DRIFT -> n.value() + " drifted cells await review";
          case Observation.CIRCUIT_OPEN -> "circuit open for " + n.value() + "s";
          default -> n.value() + " open dead letters";
        };
    return "channel "
        + n.channel()
        + ": "
        + what
        + " (threshold "
        + n.threshold()
        + ")"
        + (n.firing() ? "" : ", resolved");
  }

  private static byte[] json(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a notification as JSON", e);
    }
  }
}
