package dev.paritysync.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.time.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The group committer on virtual time: commits run when the test runs due tasks or advances time,
 * on the test's thread; a commit "meanwhile" is simulated by submitting from inside a commit.
 */
class GroupCommitterTest {
  private final VirtualTime time = new VirtualTime(Instant.parse("2026-03-01T00:00:00Z"));
  private final List<List<String>> groups = new ArrayList<>();
  private Consumer<List<String>> during = g -> {};
  private GroupCommitter<String, String> committer =
      committer(new GroupCommit(3, 10, Duration.ofMillis(2), 4));

  private GroupCommitter<String, String> committer(GroupCommit limits) {
    return new GroupCommitter<>(
        limits,
        time,
        group -> {
          groups.add(group);
          during.accept(group);
          if (group.contains("boom")) {
            throw new IllegalStateException("disk I/O error in the group of " + group);
          }
          return group.stream().map(s -> s + " ok").toList();
        },
        () -> new IllegalStateException("closed"));
  }

  private CompletableFuture<String> submit(String item) {
    return committer.arrive().submit(item, 1);
  }

  @Test
  void aRequestNoOtherIsAboutToJoinIsCommittedAtOnceAlone() throws Exception {
    CompletableFuture<String> a = submit("a");
    assertThat(a).isNotDone(); // the commit runs on the committer, not on the caller
    time.runDue();

    assertThat(a.get()).isEqualTo("a ok");
    assertThat(groups).containsExactly(List.of("a"));
  }

  @Test
  void requestsSubmittedWhileACommitRunsJoinTheNextInTheirOrder() throws Exception {
    List<CompletableFuture<String>> later = new ArrayList<>();
    during =
        g -> {
          if (g.equals(List.of("a"))) {
            later.add(submit("b"));
            later.add(submit("c"));
          }
        };
    CompletableFuture<String> a = submit("a");
    time.runDue();

    assertThat(groups).containsExactly(List.of("a"), List.of("b", "c"));
    assertThat(a.get()).isEqualTo("a ok");
    assertThat(later.get(1).get()).isEqualTo("c ok");
  }

  @Test
  void aCommitWaitsForRequestsOnTheirWayButNoLongerThanTheWait() throws Exception {
    GroupCommitter<String, String>.Arrival b = committer.arrive();
    GroupCommitter<String, String>.Arrival c = committer.arrive();
    CompletableFuture<String> a = submit("a");
    time.advance(Duration.ofMillis(1));
    assertThat(groups).isEmpty();

    CompletableFuture<String> bDone = b.submit("b", 1);
    time.advance(Duration.ofNanos(999_999));
    assertThat(groups).isEmpty();
    time.advance(Duration.ofNanos(1)); // 2 ms after a: c is still on its way, the group goes

    assertThat(groups).containsExactly(List.of("a", "b"));
    assertThat(a.get()).isEqualTo("a ok");
    assertThat(bDone.get()).isEqualTo("b ok");
    c.close();
    assertThat(time.pending()).isZero();
  }

  @Test
  void theLastRequestOnItsWayArrivingOrGoingStartsTheCommit() throws Exception {
    GroupCommitter<String, String>.Arrival b = committer.arrive();
    GroupCommitter<String, String>.Arrival c = committer.arrive();
    submit("a");
    b.submit("b", 1);
    time.runDue();
    assertThat(groups).isEmpty();

    c.close(); // answered without a commit (say, 422): nobody else is coming
    c.close();
    time.runDue();

    assertThat(groups).containsExactly(List.of("a", "b"));
    assertThatThrownBy(() -> b.submit("again", 1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aGroupIsBoundedByRequestsAndCellsAndABigRequestGoesAlone() {
    committer = committer(new GroupCommit(3, 10, Duration.ZERO, 100));
    during =
        g -> {
          if (g.equals(List.of("first"))) {
            for (String s : List.of("r1", "r2", "r3", "r4")) {
              committer.arrive().submit(s, 1);
            }
            committer.arrive().submit("c6", 6);
            committer.arrive().submit("c5", 5);
            committer.arrive().submit("big", 50);
            committer.arrive().submit("last", 1);
          }
        };
    committer.arrive().submit("first", 1);
    time.runDue();

    assertThat(groups)
        .containsExactly(
            List.of("first"),
            List.of("r1", "r2", "r3"),
            List.of("r4", "c6"),
            List.of("c5"),
            List.of("big"),
            List.of("last"));
  }

  @Test
  void aFailedCommitFailsExactlyItsGroup() throws Exception {
    List<CompletableFuture<String>> next = new ArrayList<>();
    List<CompletableFuture<String>> after = new ArrayList<>();
    during =
        g -> {
          if (g.equals(List.of("a"))) {
            next.add(submit("b"));
            next.add(submit("boom"));
          } else if (g.contains("boom")) {
            after.add(submit("c"));
          }
        };
    CompletableFuture<String> a = submit("a");
    time.runDue();

    assertThat(a.get()).isEqualTo("a ok");
    for (CompletableFuture<String> f : next) {
      assertThatThrownBy(f::get)
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("disk I/O error in the group of [b, boom]");
    }
    assertThat(after.get(0).get()).isEqualTo("c ok");
  }

  @Test
  void aFullQueueRefusesAtOnceAndCloseFailsWhatWaits() {
    List<CompletableFuture<String>> queued = new ArrayList<>();
    during =
        g -> {
          if (g.equals(List.of("a"))) {
            for (int i = 0; i < 4; i++) {
              queued.add(submit("q" + i));
            }
            assertThatThrownBy(() -> submit("one too many"))
                .isInstanceOf(GroupCommitter.Full.class)
                .hasMessageContaining("4 requests already wait")
                .hasMessageContaining("server.groupCommit.queue");
            assertThat(committer.queued()).isEqualTo(4);
            committer.close();
          }
        };
    submit("a");
    time.runDue();

    assertThat(groups).containsExactly(List.of("a"));
    assertThat(queued).allSatisfy(f -> assertThat(f).isCompletedExceptionally());
    assertThat(submit("late")).isCompletedExceptionally();
    assertThat(committer.queued()).isZero();
  }

  @Test
  void aCommitAnsweringTheWrongNumberOfResultsFailsItsGroup() {
    GroupCommitter<String, String> broken =
        new GroupCommitter<>(
            GroupCommit.DEFAULTS, time, group -> List.of(), () -> new IllegalStateException());
    CompletableFuture<String> a = broken.arrive().submit("a", 1);
    time.runDue();

    assertThatThrownBy(a::get).hasMessageContaining("answered 0 results for 1 requests");
  }

  @Test
  void limitsNameTheirKeys() {
    assertThatThrownBy(() -> new GroupCommit(0, 1, Duration.ZERO, 1))
        .hasMessage("server.groupCommit.maxRequests: must be at least 1, was 0");
    assertThatThrownBy(() -> new GroupCommit(1, 1, Duration.ofSeconds(2), 1))
        .hasMessage("server.groupCommit.maxWait: must be between 0 and 1s, was PT2S");
    assertThatThrownBy(() -> new GroupCommit(1, 1, Duration.ofMillis(-1), 1))
        .hasMessageContaining("server.groupCommit.maxWait");
    assertThatThrownBy(() -> new GroupCommit(1, 0, Duration.ZERO, 1))
        .hasMessageContaining("server.groupCommit.maxCells");
    assertThatThrownBy(() -> new GroupCommit(1, 1, Duration.ZERO, 0))
        .hasMessageContaining("server.groupCommit.queue");
  }
}
