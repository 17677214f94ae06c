package dev.paritysync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.time.VirtualTime;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {
  @TempDir Path dir;
  final VirtualTime time = new VirtualTime();
  Database db;
  Ledger ledger;

  @BeforeEach
  void setUp() {
    db = Database.open(DatabaseConfig.sqlite(dir.resolve("ledger.db")));
    ledger = new Ledger(time);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  @Test
  void entriesAreQueryableByCorrelationAndSubjectInOrder() {
    db.inTransaction(
        c -> {
          ledger.append(
              c,
              ledger
                  .entry("change.accepted")
                  .withCorrelationId("chg-1")
                  .withSubject("cell-a")
                  .withAttribute("version", 3)
                  .build());
          return null;
        });
    time.advance(Duration.ofMillis(250));
    db.inTransaction(
        c -> {
          ledger.append(
              c,
              ledger
                  .entry("attempt")
                  .withCorrelationId("chg-1")
                  .withChannel("booking")
                  .withSubject("batch-9")
                  .withAttributes(Map.of("status", 503, "action", "retry"))
                  .withAttribute("delayMillis", 1200L)
                  .build());
          ledger.append(c, ledger.entry("other").withCorrelationId("chg-2").build());
          return null;
        });

    List<LedgerEntry> chain = db.read(c -> ledger.byCorrelation(c, "chg-1"));
    assertThat(chain).extracting(LedgerEntry::kind).containsExactly("change.accepted", "attempt");
    LedgerEntry attempt = chain.get(1);
    assertThat(attempt.channel()).isEqualTo("booking");
    assertThat(attempt.at()).isEqualTo(time.instant());
    assertThat(attempt.attributes())
        .containsEntry("status", 503)
        .containsEntry("action", "retry")
        .containsEntry("delayMillis", 1200);
    assertThat(chain.get(0).at()).isEqualTo(time.instant().minusMillis(250));
    assertThat(bySubject("cell-a"))
        .singleElement()
        .satisfies(e -> assertThat(e.attributes()).containsEntry("version", 3));
    assertThat(bySubject("nothing")).isEmpty();
  }

  List<LedgerEntry> byCorrelation(String id) {
    return db.read(c -> ledger.byCorrelation(c, id));
  }

  List<LedgerEntry> bySubject(String subject) {
    return db.read(c -> ledger.bySubject(c, subject));
  }

  @Test
  void anAppendRolledBackLeavesNoEntry() {
    assertThatThrownBy(
            () ->
                db.inTransaction(
                    c -> {
                      ledger.append(c, ledger.entry("x").withCorrelationId("c").build());
                      throw new IllegalStateException("abort");
                    }))
        .hasMessage("abort");
    assertThat(byCorrelation("c")).isEmpty();
  }

  @Test
  void manyEntriesAreAppendedInOneBatchInOrder() {
    List<LedgerEntry> entries = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      entries.add(
          ledger.entry("batch.formed").withCorrelationId("many").withAttribute("i", i).build());
    }

    db.inTransactionRun(c -> ledger.append(c, entries));

    assertThat(byCorrelation("many"))
        .extracting(e -> e.attributes().get("i"))
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 2_500).boxed().toList());
  }

  @Test
  void anEntryThatCannotBeWrittenWritesNoneOfItsList() {
    List<LedgerEntry> entries =
        List.of(
            ledger.entry("fine").withCorrelationId("bad").build(),
            ledger
                .entry("broken")
                .withCorrelationId("bad")
                .withAttribute("x", new Object())
                .build());

    assertThatThrownBy(() -> db.inTransactionRun(c -> ledger.append(c, entries)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("broken");
    assertThat(byCorrelation("bad")).isEmpty();
  }

  @Test
  void offersNoWayToChangeOrRemoveAnEntry() {
    List<String> methods =
        Arrays.stream(Ledger.class.getDeclaredMethods())
            .filter(m -> Modifier.isPublic(m.getModifiers()))
            .map(Method::getName)
            .sorted()
            .toList();
    assertThat(methods).containsExactly("append", "append", "byCorrelation", "bySubject", "entry");
  }

  @Test
  void idsSortByCreation() {
    String previous = "";
    for (int i = 0; i < 1000; i++) {
      String id = Ids.next(time);
      assertThat(id).hasSize(26).isGreaterThan(previous);
      previous = id;
      if (i % 100 == 0) {
        time.advance(Duration.ofMillis(1));
      }
    }
  }
}
