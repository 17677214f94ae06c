package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paritysync.core.time.VirtualTime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The progress line on virtual time: rewritten in place on a terminal, log lines otherwise. */
class ProgressLineTest {
  VirtualTime time = new VirtualTime(Instant.parse("2026-03-29T00:59:00Z"));
  StringWriter err = new StringWriter();

  ProgressLine progress(boolean terminal) {
    return new ProgressLine(new PrintWriter(err), terminal, time, Duration.ofSeconds(5));
  }

  @Test
  void onATerminalTheStatusIsOneLineRewrittenAndEventsGoAboveIt() {
    try (ProgressLine p = progress(true)) {
      p.status("pull rpt-1: 1 pages");
      p.status("pull rpt-1: 2 pages");
      p.event("retry rpt-1 attempt 1 answered 503; waiting 500 ms (backoff) before attempt 2");
      p.status("pull rpt-1: 3 pages");
      time.advance(Duration.ofMinutes(1));
      p.heartbeat(); // the line on the terminal already says it
    }
    assertThat(err.toString())
        .isEqualTo(
            "\rpull rpt-1: 1 pages"
                + "\rpull rpt-1: 2 pages"
                + "\r"
                + " ".repeat(19)
                + "\r"
                + "retry rpt-1 attempt 1 answered 503; waiting 500 ms (backoff) before attempt 2\n"
                + "\rpull rpt-1: 2 pages"
                + "\rpull rpt-1: 3 pages"
                + "\n");
  }

  @Test
  void inALogTheStatusIsALineAtMostEveryIntervalAndTheHeartbeatRepeatsIt() {
    ProgressLine p = progress(false);
    p.status("ingest a.csv: 1,024 rows");
    time.advance(Duration.ofSeconds(4));
    p.status("ingest a.csv: 2,048 rows");
    time.advance(Duration.ofSeconds(1));
    p.status("ingest a.csv: 3,072 rows");
    p.event("retry x attempt 1 answered 503; waiting 1.0 s (backoff) before attempt 2");
    time.advance(Duration.ofSeconds(4));
    p.heartbeat();
    time.advance(Duration.ofSeconds(1));
    p.heartbeat();
    time.advance(Duration.ofSeconds(5));
    p.heartbeat();
    p.close();
    p.heartbeat();
    assertThat(err.toString())
        .isEqualTo(
            "ingest a.csv: 3,072 rows\n"
                + "retry x attempt 1 answered 503; waiting 1.0 s (backoff) before attempt 2\n"
                + "ingest a.csv: 3,072 rows (for 5.0 s)\n"
                + "ingest a.csv: 3,072 rows (for 10.0 s)\n");
  }
}
