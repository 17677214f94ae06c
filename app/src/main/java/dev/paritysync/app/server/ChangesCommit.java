package dev.paritysync.app.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.engine.Accepted;
import dev.paritysync.hotel.engine.Ingest;
import dev.paritysync.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One group commit of {@code POST /v1/changes}: the changes of every request of the group, and the
 * {@code Idempotency-Key} of each request that has one, in one transaction ({@link
 * Ingest#acceptAll}), with the requests in the order they came.
 *
 * <p>Each request is answered as if the group's requests had been committed one after another: a
 * request whose key an earlier request of the group carries ingests nothing and is answered that
 * request's response (replayed) when its body is the same, else 422; a request whose key another
 * process recorded while it waited (several workers on PostgreSQL, or a request of an earlier
 * group) is answered from that record, and the group is written again without it. When the
 * transaction fails, nothing of the group is stored and every request of it fails with the
 * database's error. While a group commits, its keys are {@linkplain #committing in progress}.
 * Thread-safe; one committer thread runs it.
 */
final class ChangesCommit
    implements GroupCommitter.Commit<ChangesCommit.Request, ChangesCommit.Answer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One request: its checked changes, its key (null: none), its body's fingerprint, and the trace
   * context it came in.
   */
  record Request(
      List<Change> changes,
      @Nullable String key,
      String fingerprint,
      io.opentelemetry.context.Context trace) {}

  /**
   * A request's answer: the response (recorded under its key, or replayed from an earlier record),
   * or a problem of its own.
   */
  record Answer(
      IdempotencyKeys.@Nullable Stored stored,
      boolean replayed,
      @Nullable ProblemException problem) {
    static Answer of(IdempotencyKeys.Stored stored, boolean replayed) {
      return new Answer(stored, replayed, null);
    }

    static Answer of(ProblemException problem) {
      return new Answer(null, false, problem);
    }
  }

  private final Database db;
  private final Ingest ingest;
  private final IdempotencyKeys keys;
  private final Set<String> committing = ConcurrentHashMap.newKeySet();

  ChangesCommit(Database db, Ingest ingest, IdempotencyKeys keys) {
    this.db = Objects.requireNonNull(db, "db");
    this.ingest = Objects.requireNonNull(ingest, "ingest");
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  /** Whether a request with {@code key} is in the commit running now. */
  boolean committing(String key) {
    return committing.contains(key);
  }

  @Override
  public List<Answer> commit(List<Request> group) {
    List<String> groupKeys = group.stream().map(Request::key).filter(Objects::nonNull).toList();
    committing.addAll(groupKeys);
    try {
      // Answers known before the transaction: keys another process recorded first.
      Answer[] known = new Answer[group.size()];
      while (true) {
        try {
          return db.inTransaction(c -> write(c, group, known));
        } catch (KeyTaken e) {
          Request r = group.get(e.index);
          String key = Objects.requireNonNull(r.key(), "only a request with a key is recorded");
          known[e.index] =
              keys.find(key)
                  .map(stored -> answerFrom(stored, r))
                  .orElseGet(() -> Answer.of(ChangesRoutes.busy(key)));
        }
      }
    } finally {
      groupKeys.forEach(committing::remove);
    }
  }

  /** Writes the group in transaction {@code c}; throws {@link KeyTaken} to write it again. */
  private List<Answer> write(Connection c, List<Request> group, Answer[] known)
      throws SQLException {
    Answer[] answers = known.clone();
    Map<String, IdempotencyKeys.Stored> byKey = new HashMap<>();
    int[] sameKeyAs = new int[group.size()];
    List<Ingest.Call> calls = new ArrayList<>();
    List<Integer> ingested = new ArrayList<>();
    for (int i = 0; i < group.size(); i++) {
      Request r = group.get(i);
      sameKeyAs[i] = -1;
      if (answers[i] != null) {
        if (answers[i].stored() != null) {
          byKey.putIfAbsent(r.key(), answers[i].stored());
        }
        continue;
      }
      if (r.key() != null && byKey.containsKey(r.key())) {
        continue; // answered below, from the record of this key
      }
      if (r.key() != null) {
        byKey.put(r.key(), null);
        for (int j = i + 1; j < group.size(); j++) {
          if (r.key().equals(group.get(j).key()) && answers[j] == null) {
            sameKeyAs[j] = i;
          }
        }
      }
      calls.add(new Ingest.Call(r.changes(), r.trace()));
      ingested.add(i);
    }
    List<Accepted> accepted = ingest.acceptAll(c, calls);
    List<IdempotencyKeys.Pending> records = new ArrayList<>();
    List<Integer> recorded = new ArrayList<>();
    for (int k = 0; k < accepted.size(); k++) {
      int i = ingested.get(k);
      Request r = group.get(i);
      IdempotencyKeys.Stored stored =
          new IdempotencyKeys.Stored(r.fingerprint(), 202, response(accepted.get(k)));
      if (r.key() != null) {
        byKey.put(r.key(), stored);
        records.add(new IdempotencyKeys.Pending(r.key(), r.fingerprint(), 202, stored.body()));
        recorded.add(i);
      }
      answers[i] = Answer.of(stored, false);
    }
    int taken = keys.recordAll(c, records);
    if (taken >= 0) {
      throw new KeyTaken(recorded.get(taken));
    }
    for (int i = 0; i < group.size(); i++) {
      if (answers[i] == null) {
        IdempotencyKeys.Stored first =
            sameKeyAs[i] >= 0 ? answers[sameKeyAs[i]].stored() : byKey.get(group.get(i).key());
        answers[i] =
            answerFrom(
                Objects.requireNonNull(first, "no record of the key a request repeats"),
                group.get(i));
      }
    }
    return List.of(answers);
  }

  /** {@code r}'s answer from the record of its key: replayed for the same body, else 422. */
  private static Answer answerFrom(IdempotencyKeys.Stored stored, Request r) {
    try {
      String key = Objects.requireNonNull(r.key(), "only a request with a key is replayed");
      return Answer.of(ChangesRoutes.replay(stored, key, r.fingerprint()), true);
    } catch (ProblemException e) {
      return Answer.of(e);
    }
  }

  /** The body of a 202 for {@code a}: its version, cells, change and correlation ids, unmapped. */
  static String response(Accepted a) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("version", a.version());
    doc.put("cells", a.cells());
    ArrayNode changes = doc.putArray("changes");
    for (int i = 0; i < a.changeIds().size(); i++) {
      changes
          .addObject()
          .put("id", a.changeIds().get(i))
          .put("correlationId", a.correlationIds().get(i));
    }
    if (!a.unmapped().isEmpty()) {
      ObjectNode unmapped = doc.putObject("unmapped");
      a.unmapped()
          .forEach(
              (channel, report) -> {
                ObjectNode r = unmapped.putObject(channel);
                report.rooms().forEach((room, n) -> r.withObjectProperty("rooms").put(room, n));
                report
                    .ratePlans()
                    .forEach((plan, n) -> r.withObjectProperty("ratePlans").put(plan, n));
              });
    }
    return doc.toString();
  }

  /** Rolls back a group in which request {@code index}'s key another process recorded first. */
  private static final class KeyTaken extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int index;

    KeyTaken(int index) {
      super(null, null, false, false);
      this.index = index;
    }
  }
}
