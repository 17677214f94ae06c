package dev.paritysync.hotel.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.breaker.BreakerState;
import dev.paritysync.core.http.Transport;
import dev.paritysync.core.time.VirtualTime;
import dev.paritysync.hotel.ari.Change;
import dev.paritysync.hotel.ari.Rate;
import dev.paritysync.hotel.channel.ChannelConfig;
import dev.paritysync.hotel.channel.HotelDefaults;
import dev.paritysync.hotel.channel.SecretResolver;
import dev.paritysync.sim.CellKey;
import dev.paritysync.sim.CellValue;
import dev.paritysync.sim.SimChannel;
import dev.paritysync.sim.SimConfig;
import dev.paritysync.store.Database;
import dev.paritysync.store.QueueItem;
import dev.paritysync.store.Queues;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The whole engine — ingest, loops, adapters, credentials — on virtual time and a real sim. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class HotelEngineTest {
  @Parameter Backend backend;
  @TempDir Path dir;

  private final VirtualTime time = new VirtualTime(Engines.START);
  private final Transport transport = Transport.builder().withClock(time).build();
  private Backend.EngineStore store;
  private Database db;
  private SimChannel sim;
  private HotelEngine engine;

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
    transport.close();
    if (sim != null) {
      sim.close();
    }
    if (store != null) {
      store.close();
    }
  }

  private static SecretResolver secrets(Map<String, String> env) {
    return new SecretResolver() {
      @Override
      public Secret env(String name) {
        String v = env.get(name);
        if (v == null) {
          throw new IllegalArgumentException("environment variable " + name + " is not set");
        }
        return Secret.of(v);
      }

      @Override
      public Secret file(Path file) {
        throw new IllegalArgumentException("no files here: " + file);
      }
    };
  }

  private static Map<String, Object> channel(SimChannel sim, Map<String, Object> credentials) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("adapter", "native");
    c.put("baseUrl", sim.baseUri().toString());
    c.put("credentials", credentials);
    c.put(
        "mapping",
        Map.of("rooms", Map.of("DBL", "D1", "SGL", "S1"), "ratePlans", Map.of("BAR", "R1")));
    return c;
  }

  private static Map<String, Object> apiKey() {
    return Map.of("apiKey", Map.of("header", "X-Api-Key", "value", "${env:KEY}"));
  }

  /** Opens this run's database; on a backend that is not available the test is skipped here. */
  private void openStore() {
    if (store == null) {
      store = backend.open(dir);
      db = store.db;
    }
  }

  private HotelEngine engine(Map<String, Object> channel, Map<String, String> env) {
    openStore();
    ChannelConfig config = ChannelConfig.parse("a", channel, secrets(env));
    return HotelEngine.builder()
        .withDatabase(db)
        .withClock(time)
        .withScheduler(time)
        .withTransport(transport)
        .withPortfolio(Engines.PORTFOLIO)
        .withChannels(Map.of("a", config))
        .withTick(Duration.ofMillis(100))
        .build();
  }

  private static Change rate(int day, String amount) {
    return Change.builder("P1", "DBL", Engines.TODAY.plusDays(day), Engines.TODAY.plusDays(day))
        .withRatePlan("BAR")
        .withRate(new Rate(new BigDecimal(amount), "EUR"))
        .build();
  }

  private BigDecimal simRate(int day) {
    CellValue v = sim.state("P1").get(new CellKey("D1", "R1", Engines.TODAY.plusDays(day)));
    return v == null ? null : v.rate();
  }

  private void runFor(Duration d) {
    for (long s = 0; s < d.toSeconds(); s++) {
      time.advance(Duration.ofSeconds(1));
    }
  }

  @Test
  void coalescesAHundredChangesDuringAnOutageIntoOneRequestWhileTheLoopRuns() {
    sim = SimChannel.start(SimConfig.healthy(3), time);
    engine = engine(channel(sim, apiKey()), Map.of("KEY", "k"));
    engine.start();
    sim.setOutage(true);
    for (int i = 1; i <= 100; i++) {
      engine.ingest().accept(List.of(rate(1, (100 + i) + ".00")));
      runFor(Duration.ofSeconds(1));
    }
    assertThat(engine.status().get("a").circuit()).isEqualTo(BreakerState.OPEN);
    long failedDuringOutage = sim.stats().requests();

    sim.setOutage(false);
    runFor(Duration.ofMinutes(2));

    assertThat(simRate(1)).isEqualByComparingTo("200.00");
    assertThat(sim.stats().count(200)).isEqualTo(1);
    assertThat(sim.stats().requests() - failedDuringOutage).isEqualTo(1);
    assertThat(sim.stats().doubleApplications()).isZero();
    assertThat(sim.stats().requestsDuringAnnouncedWait()).isZero();
    HotelEngine.ChannelStatus s = engine.status().get("a");
    assertThat(s.settled()).isTrue();
    assertThat(s.cellsAtParity()).isEqualTo(1);
    assertThat(s.deadLetters()).isZero();
  }

  /**
   * A sim that wants OAuth2 tokens (client ps / s3cret, 5 min), and the engine sending it {@code
   * secret}.
   */
  private HotelEngine oauthEngine(long seed, String secret) {
    sim =
        SimChannel.start(
            SimConfig.healthy(seed).toBuilder()
                .withOAuth("ps", "s3cret", Duration.ofMinutes(5))
                .build(),
            time);
    Map<String, Object> oauth =
        Map.of(
            "oauth2",
            Map.of(
                "tokenUrl",
                sim.baseUri().resolve("/oauth/token").toString(),
                "clientId",
                "ps",
                "clientSecret",
                "${env:SECRET}"));
    return engine(channel(sim, oauth), Map.of("SECRET", secret));
  }

  @Test
  void sendsWithAnOAuth2TokenAndRefreshesItWhenItExpires() {
    engine = oauthEngine(4, "s3cret");
    engine.start();

    engine.ingest().accept(List.of(rate(1, "120.00")));
    runFor(Duration.ofSeconds(5));
    runFor(Duration.ofMinutes(10)); // the token expires
    engine.ingest().accept(List.of(rate(2, "130.00")));
    runFor(Duration.ofSeconds(5));

    assertThat(simRate(1)).isEqualByComparingTo("120.00");
    assertThat(simRate(2)).isEqualByComparingTo("130.00");
    assertThat(sim.stats().tokenRequests()).isEqualTo(2);
    assertThat(sim.stats().count(401)).isZero();
    assertThat(engine.status().get("a").cellsAtParity()).isEqualTo(2);
  }

  @Test
  void credentialsTheTokenEndpointRejectsDeadLetterTheBatchWithTheReason() {
    engine = oauthEngine(5, "wrong");
    engine.start();

    engine.ingest().accept(List.of(rate(1, "120.00")));
    runFor(Duration.ofSeconds(5));

    List<QueueItem> dead =
        db.read(
            c ->
                new Queues(new dev.paritysync.store.Ledger(time), time)
                    .list(c, Queues.Filter.all()));
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).queue()).isEqualTo(QueueItem.Queue.DEAD_LETTER);
    assertThat(dead.get(0).reason()).startsWith("credentials:").doesNotContain("wrong");
    assertThat(sim.stats().requests()).isZero(); // nothing reached the ARI endpoint
    HotelEngine.ChannelStatus s = engine.status().get("a");
    assertThat(s.deadLetters()).isEqualTo(1);
    assertThat(s.settled()).isTrue();
  }

  @Test
  void anUnknownAdapterIsAConfigurationErrorNamingTheKey() {
    sim = SimChannel.start(SimConfig.healthy(6), time);
    Map<String, Object> c = channel(sim, apiKey());
    c.put("adapter", "telex");
    openStore(); // outside the assertion: an unavailable backend skips, it does not throw here
    assertThatThrownBy(() -> engine(c, Map.of("KEY", "k")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("channels.a.adapter")
        .hasMessageContaining("telex")
        .hasMessageContaining("native");
  }

  @Test
  void aBadResilienceBlockIsAConfigurationErrorNamingTheKey() {
    sim = SimChannel.start(SimConfig.healthy(7), time);
    Map<String, Object> c = channel(sim, apiKey());
    c.put("resilience", Map.of("backoff", Map.of("base", "soon")));
    openStore(); // outside the assertion: an unavailable backend skips, it does not throw here
    assertThatThrownBy(() -> engine(c, Map.of("KEY", "k")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("channels.a.resilience.backoff.base");
  }

  @Test
  void policiesReadAtLoadAreNotReadAgain() {
    sim = SimChannel.start(SimConfig.healthy(8), time);
    Map<String, Object> c = channel(sim, apiKey());
    c.put("resilience", Map.of("backoff", Map.of("base", "soon")));
    openStore();
    ChannelConfig config = ChannelConfig.parse("a", c, secrets(Map.of("KEY", "k")));
    // the loader read this channel's policy already: the engine takes it and leaves the block
    engine =
        HotelEngine.builder()
            .withDatabase(db)
            .withClock(time)
            .withScheduler(time)
            .withTransport(transport)
            .withPortfolio(Engines.PORTFOLIO)
            .withChannels(Map.of("a", config))
            .withPolicies(Map.of("a", HotelDefaults.policy("a")))
            .build();
    assertThat(engine.channels()).containsExactly("a");
  }
}
