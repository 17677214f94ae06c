package dev.paritysync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.time.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The work queue's contract, run against every dialect by a subclass that opens a database. */
abstract class WorkQueueContract {
  static final Duration LEASE = Duration.ofSeconds(30);

  final VirtualTime time = new VirtualTime(Instant.parse("2026-03-29T00:59:59.990Z"));
  Database db;
  WorkQueue queue;
  String q;

  /** A migrated database of the dialect under test. */
  abstract Database open();

  @BeforeEach
  void setUp() {
    db = open();
    queue = new WorkQueue(db, time);
    // A queue name of its own per test, so a shared PostgreSQL database needs no cleaning.
    q = "q-" + UUID.randomUUID();
  }

  @AfterEach
  void tearDown() {
    if (db != null) {
      db.close();
    }
  }

  WorkItem enqueue(String subject) {
    return db.inTransaction(c -> queue.enqueue(c, q, subject, "{\"subject\":\"" + subject + "\"}"));
  }

  List<WorkItem> claim(String owner, int limit) {
    return db.inTransaction(c -> queue.claim(c, q, owner, limit, LEASE));
  }

  boolean ok(Tx<Boolean> work) {
    return db.inTransaction(work);
  }

  long count(WorkItem.State state) {
    return db.read(c -> queue.count(c, q, state));
  }

  boolean complete(String id, String owner) {
    return db.inTransaction(c -> queue.complete(c, id, owner));
  }

  @Test
  void claimLeasesDueItemsOldestFirstAndCountsTheAttempt() {
    WorkItem a = enqueue("a");
    time.advance(Duration.ofMillis(5));
    WorkItem b = enqueue("b");
    enqueue("c");

    List<WorkItem> claimed = claim("w1", 2);

    assertThat(claimed).extracting(WorkItem::id).containsExactly(a.id(), b.id());
    assertThat(claimed)
        .allSatisfy(
            item -> {
              assertThat(item.state()).isEqualTo(WorkItem.State.LEASED);
              assertThat(item.leaseOwner()).isEqualTo("w1");
              assertThat(item.leaseExpiresAt()).isEqualTo(time.instant().plus(LEASE));
              assertThat(item.attempts()).isEqualTo(1);
            });
    assertThat(claimed.get(0).payload()).isEqualTo("{\"subject\":\"a\"}");
    assertThat(claim("w2", 10)).extracting(WorkItem::subject).containsExactly("c");
    assertThat(claim("w3", 10)).isEmpty();
  }

  @Test
  void claimByIdsTakesOnlyThoseClaimableInTheCallersOrder() {
    WorkItem a = enqueue("a");
    WorkItem b = enqueue("b");
    WorkItem later =
        db.inTransaction(c -> queue.enqueue(c, q, "later", "{}", time.instant().plusSeconds(5)));
    WorkItem c = enqueue("c");
    WorkItem taken = claim("w0", 1).get(0); // a, leased to another owner

    List<WorkItem> claimed =
        db.inTransaction(
            x ->
                queue.claim(
                    x, q, List.of(c.id(), later.id(), taken.id(), b.id(), "nope"), "w1", LEASE));

    assertThat(taken.id()).isEqualTo(a.id());
    assertThat(claimed).extracting(WorkItem::id).containsExactly(c.id(), b.id());
    assertThat(claimed)
        .allSatisfy(
            item -> {
              assertThat(item.state()).isEqualTo(WorkItem.State.LEASED);
              assertThat(item.leaseOwner()).isEqualTo("w1");
              assertThat(item.attempts()).isEqualTo(1);
            });
    List<WorkItem> otherQueue =
        db.inTransaction(x -> queue.claim(x, "other-" + q, List.of(b.id()), "w2", LEASE));
    List<WorkItem> none = db.inTransaction(x -> queue.claim(x, q, List.of(), "w2", LEASE));
    assertThat(otherQueue).isEmpty();
    assertThat(none).isEmpty();
    time.advance(LEASE);
    List<WorkItem> expired = db.inTransaction(x -> queue.claim(x, q, List.of(a.id()), "w2", LEASE));
    assertThat(expired).extracting(WorkItem::attempts).containsExactly(2);
  }

  @Test
  void completeMarksDoneOnlyForTheLeaseOwner() {
    WorkItem item = enqueue("a");
    WorkItem claimed = claim("w1", 1).get(0);

    assertThat(complete(item.id(), "w2")).isFalse();
    assertThat(complete(claimed.id(), "w1")).isTrue();
    assertThat(complete(claimed.id(), "w1")).isFalse();
    WorkItem done = db.read(c -> queue.find(c, item.id())).orElseThrow();
    assertThat(done.state()).isEqualTo(WorkItem.State.DONE);
    assertThat(done.leaseOwner()).isNull();
    time.advance(Duration.ofDays(1));
    assertThat(claim("w2", 10)).isEmpty();
  }

  @Test
  void anExpiredLeaseMakesTheItemClaimableAndTheOldOwnerLosesIt() {
    WorkItem item = enqueue("a");
    claim("w1", 1);

    time.advance(LEASE.minusMillis(1));
    assertThat(claim("w2", 1)).isEmpty();

    time.advance(Duration.ofMillis(1));
    List<WorkItem> reclaimed = claim("w2", 1);
    assertThat(reclaimed).extracting(WorkItem::id).containsExactly(item.id());
    assertThat(reclaimed.get(0).attempts()).isEqualTo(2);

    assertThat(complete(item.id(), "w1")).isFalse();
    assertThat(ok(c -> queue.reschedule(c, item.id(), "w1", time.instant()))).isFalse();
    assertThat(ok(c -> queue.extend(c, item.id(), "w1", LEASE))).isFalse();
    assertThat(complete(item.id(), "w2")).isTrue();
  }

  @Test
  void rescheduleHidesTheItemUntilNextAttemptAt() {
    WorkItem item = enqueue("a");
    claim("w1", 1);
    Instant next = time.instant().plus(Duration.ofMinutes(10));

    assertThat(ok(c -> queue.reschedule(c, item.id(), "w1", next))).isTrue();

    assertThat(claim("w2", 1)).isEmpty();
    time.advance(Duration.ofMinutes(10).minusMillis(1));
    assertThat(claim("w2", 1)).isEmpty();
    time.advance(Duration.ofMillis(1));
    List<WorkItem> again = claim("w2", 1);
    assertThat(again).extracting(WorkItem::id).containsExactly(item.id());
    assertThat(again.get(0).attempts()).isEqualTo(2);
    assertThat(again.get(0).nextAttemptAt()).isEqualTo(next);
  }

  @Test
  void enqueueWithNotBeforeDelaysTheFirstClaim() {
    db.inTransaction(
        c -> queue.enqueue(c, q, "later", "{}", time.instant().plus(Duration.ofSeconds(5))));
    assertThat(claim("w1", 1)).isEmpty();
    time.advance(Duration.ofSeconds(5));
    assertThat(claim("w1", 1)).extracting(WorkItem::subject).containsExactly("later");
  }

  @Test
  void releaseGivesTheItemBackWithoutCountingAnAttempt() {
    WorkItem item = enqueue("a");
    claim("w1", 1);

    assertThat(ok(c -> queue.release(c, item.id(), "w2"))).isFalse();
    assertThat(ok(c -> queue.release(c, item.id(), "w1"))).isTrue();

    List<WorkItem> again = claim("w2", 1);
    assertThat(again).extracting(WorkItem::id).containsExactly(item.id());
    assertThat(again.get(0).attempts()).isEqualTo(1);
  }

  @Test
  void extendKeepsTheLeasePastItsFirstExpiry() {
    WorkItem item = enqueue("a");
    claim("w1", 1);
    time.advance(Duration.ofSeconds(20));

    assertThat(ok(c -> queue.extend(c, item.id(), "w1", LEASE))).isTrue();

    time.advance(Duration.ofSeconds(20));
    assertThat(claim("w2", 1)).isEmpty();
    assertThat(complete(item.id(), "w1")).isTrue();
  }

  @Test
  void aDeadItemIsNeverClaimedAgain() {
    WorkItem item = enqueue("a");
    claim("w1", 1);
    assertThat(ok(c -> queue.markDead(c, item.id(), "w1"))).isTrue();
    time.advance(Duration.ofDays(365));
    assertThat(claim("w2", 1)).isEmpty();
    assertThat(count(WorkItem.State.DEAD)).isEqualTo(1);
  }

  @Test
  void anEnqueueRolledBackLeavesNothing() {
    assertThatThrownBy(
            () ->
                db.inTransaction(
                    c -> {
                      queue.enqueue(c, q, "a", "{}");
                      throw new IllegalStateException("abort");
                    }))
        .hasMessage("abort");
    assertThat(claim("w1", 10)).isEmpty();
  }

  @Test
  void aPayloadThatIsNotJsonIsRejectedNamingTheItem() {
    assertThatThrownBy(() -> db.inTransaction(c -> queue.enqueue(c, q, "cell-7", "{oops")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(q)
        .hasMessageContaining("cell-7");
    assertThatThrownBy(() -> db.inTransaction(c -> queue.claim(c, q, "w", 0, LEASE)))
        .hasMessageContaining("claim limit must be at least 1, was 0");
  }

  @Test
  void concurrentClaimersNeverShareAnItemAndEachIsCompletedOnce() throws Exception {
    int items = 1000;
    db.inTransaction(
        c -> {
          for (int i = 0; i < items; i++) {
            queue.enqueue(c, q, "s" + i, "{}");
          }
          return null;
        });
    Map<String, String> completedBy = new ConcurrentHashMap<>();
    AtomicInteger doubles = new AtomicInteger();
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String owner = "worker-" + t;
        futures.add(
            pool.submit(
                () -> {
                  int done = 0;
                  while (true) {
                    List<WorkItem> batch = claim(owner, 7);
                    if (batch.isEmpty()) {
                      return done;
                    }
                    for (WorkItem item : batch) {
                      if (completedBy.putIfAbsent(item.id(), owner) != null) {
                        doubles.incrementAndGet();
                      }
                    }
                    int completed =
                        db.inTransaction(
                            c -> {
                              int n = 0;
                              for (WorkItem item : batch) {
                                n += queue.complete(c, item.id(), owner) ? 1 : 0;
                              }
                              return n;
                            });
                    assertThat(completed).isEqualTo(batch.size());
                    done += completed;
                  }
                }));
      }
      int total = 0;
      for (Future<Integer> f : futures) {
        total += f.get(2, TimeUnit.MINUTES);
      }
      assertThat(doubles).hasValue(0);
      assertThat(total).isEqualTo(items);
      assertThat(completedBy).hasSize(items);
      assertThat(count(WorkItem.State.DONE)).isEqualTo(items);
    } finally {
      pool.shutdownNow();
    }
  }
}
