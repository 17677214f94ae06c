package dev.paritysync.app.server;

import dev.paritysync.core.time.Scheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Commits requests in groups on one thread: a request {@link Arrival#submit submitted} while a
 * commit runs waits in a bounded queue and joins the next commit, which takes the waiting requests
 * in the order they came, up to {@link GroupCommit#maxRequests()} requests and {@link
 * GroupCommit#maxCells()} cells. Each request's future completes after the commit that holds it:
 * with its own result, or with the commit's failure, the same for every request of that group and
 * for no other.
 *
 * <p>When no commit runs, a request waits for others that are on their way ({@link #arrive} was
 * called for them, and they are not yet submitted or gone) to join it, at most {@link
 * GroupCommit#maxWait()} after it was submitted; a request no other is about to join is committed
 * at once. A commit starts early when its group is full.
 *
 * <p>Commits and waits run on {@code scheduler}: give it one thread of its own (one committer per
 * store), or {@link dev.paritysync.core.time.VirtualTime} in tests, which commits when time is
 * advanced or due tasks are run. Nothing here blocks a caller: a full queue throws {@link Full} at
 * once. Thread-safe.
 *
 * @param <T> a request
 * @param <R> the result of one request
 */
final class GroupCommitter<T, R> {
  /** Commits one group. */
  @FunctionalInterface
  interface Commit<T, R> {
    /**
     * Commits {@code group}, all or nothing, and returns one result per request in the same order;
     * throws when nothing was committed.
     */
    List<R> commit(List<T> group);
  }

  /** Thrown by {@link Arrival#submit} when {@link GroupCommit#queue()} requests already wait. */
  static final class Full extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Full(int queue) {
      super(queue + " requests already wait for a commit (server.groupCommit.queue)");
    }
  }

  private record Entry<T, R>(T item, int cells, long since, CompletableFuture<R> result) {}

  private final GroupCommit limits;
  private final Scheduler scheduler;
  private final Commit<T, R> commit;
  private final Supplier<RuntimeException> closedFailure;
  private final Object lock = new Object();
  private final ArrayDeque<Entry<T, R>> queue = new ArrayDeque<>();
  private int queuedCells;
  private int arriving;
  private boolean running;
  private boolean closed;
  private Scheduler.@Nullable Cancellable timer;

  /**
   * A committer within {@code limits}, running {@code commit} on {@code scheduler}; after {@link
   * #close} requests fail with what {@code closedFailure} gives.
   */
  GroupCommitter(
      GroupCommit limits,
      Scheduler scheduler,
      Commit<T, R> commit,
      Supplier<RuntimeException> closedFailure) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.commit = Objects.requireNonNull(commit, "commit");
    this.closedFailure = Objects.requireNonNull(closedFailure, "closedFailure");
  }

  /**
   * A request is on its way (being read or checked): a commit starting now waits up to {@link
   * GroupCommit#maxWait()} for it. Submit it, or close the arrival when it is answered otherwise.
   */
  Arrival arrive() {
    synchronized (lock) {
      arriving++;
    }
    return new Arrival();
  }

  /** One request on its way to a commit. Not thread-safe: one request's thread uses it. */
  final class Arrival implements AutoCloseable {
    private boolean open = true;

    private Arrival() {}

    /**
     * Queues {@code item}, which sets {@code cells} cells, for the next commit; the future
     * completes after the commit that holds it.
     *
     * @throws Full when the queue is full; nothing is queued
     * @throws IllegalStateException when this arrival was already submitted or closed
     */
    CompletableFuture<R> submit(T item, int cells) {
      if (!open) {
        throw new IllegalStateException("this request was already submitted or answered");
      }
      open = false;
      CompletableFuture<R> result = new CompletableFuture<>();
      boolean start;
      boolean full = false;
      synchronized (lock) {
        arriving--;
        if (closed) {
          result.completeExceptionally(closedFailure.get());
        } else if (queue.size() >= limits.queue()) {
          full = true;
        } else {
          queue.add(new Entry<>(item, cells, scheduler.clock().nanoTime(), result));
          queuedCells += cells;
        }
        start = startIfReady();
      }
      start(start);
      if (full) {
        throw new Full(limits.queue());
      }
      return result;
    }

    /** The request was answered without a commit (rejected, replayed): nobody waits for it. */
    @Override
    public void close() {
      if (!open) {
        return;
      }
      open = false;
      boolean start;
      synchronized (lock) {
        arriving--;
        start = startIfReady();
      }
      start(start);
    }
  }

  /** How many requests wait for a commit (not counting those in the commit running); for tests. */
  int queued() {
    synchronized (lock) {
      return queue.size();
    }
  }

  /**
   * Refuses every request from now on and fails those waiting with {@code closedFailure}; a commit
   * running finishes.
   */
  void close() {
    List<Entry<T, R>> dropped;
    synchronized (lock) {
      closed = true;
      cancelTimer();
      dropped = new ArrayList<>(queue);
      queue.clear();
      queuedCells = 0;
    }
    dropped.forEach(e -> e.result().completeExceptionally(closedFailure.get()));
  }

  /**
   * Whether a commit should start now; arms the timer when requests wait for others. Marks the
   * committer running when it returns true. Holds {@link #lock}.
   */
  private boolean startIfReady() {
    if (running || queue.isEmpty() || closed) {
      return false;
    }
    Duration waited = Duration.ofNanos(scheduler.clock().nanoTime() - queue.peekFirst().since());
    boolean full = queue.size() >= limits.maxRequests() || queuedCells >= limits.maxCells();
    if (full || arriving <= 0 || waited.compareTo(limits.maxWait()) >= 0) {
      cancelTimer();
      running = true;
      return true;
    }
    if (timer == null) {
      timer = scheduler.schedule(limits.maxWait().minus(waited), this::onTimer);
    }
    return false;
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  private void onTimer() {
    boolean start;
    synchronized (lock) {
      timer = null;
      start = startIfReady();
    }
    start(start);
  }

  private void start(boolean start) {
    if (start) {
      scheduler.schedule(Duration.ZERO, this::drain);
    }
  }

  /** Commits groups while requests are ready; runs on the scheduler, one at a time. */
  private void drain() {
    while (true) {
      List<Entry<T, R>> group;
      synchronized (lock) {
        group = take();
      }
      commitGroup(group);
      synchronized (lock) {
        running = false;
        if (!startIfReady()) {
          return;
        }
      }
    }
  }

  /** The next group: the oldest waiting request and those after it, within the limits. */
  private List<Entry<T, R>> take() {
    List<Entry<T, R>> group = new ArrayList<>();
    int cells = 0;
    while (!queue.isEmpty() && group.size() < limits.maxRequests()) {
      Entry<T, R> next = queue.peekFirst();
      if (!group.isEmpty() && cells + next.cells() > limits.maxCells()) {
        break;
      }
      queue.pollFirst();
      queuedCells -= next.cells();
      cells += next.cells();
      group.add(next);
    }
    return group;
  }

  private void commitGroup(List<Entry<T, R>> group) {
    if (group.isEmpty()) {
      return;
    }
    List<R> results;
    try {
      results = commit.commit(group.stream().map(Entry::item).toList());
      if (results.size() != group.size()) {
        throw new IllegalStateException(
            "the commit answered " + results.size() + " results for " + group.size() + " requests");
      }
    } catch (RuntimeException | Error e) {
      group.forEach(entry -> entry.result().completeExceptionally(e));
      return;
    }
    for (int i = 0; i < group.size(); i++) {
      group.get(i).result().complete(results.get(i));
    }
  }
}
